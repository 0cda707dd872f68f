// Shares as the library keeps them: each expires (30 days unless asked, a year at most, never in the past),
// only its maker (or the server's owner) changes or revokes it, and a user's are bounded, an expired one
// forgotten a month later.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import {
  addShareVisits,
  createShare,
  DEFAULT_SHARE_MS,
  deleteShare,
  deleteSharesOf,
  listShares,
  MAX_SHARE_MS,
  MAX_SHARE_SONGS,
  MAX_SHARES,
  shareById,
  updateShare,
} from '../../app/core/library/shares.ts';
import { tempDir } from '../helpers.ts';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 10, 29);

describe('shares', () => {
  it('expire when asked, 30 days on unless asked, a year at most, and never in the past', () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    const made = (expires?: number) => createShare(db, { user: 'alice', entries: [1], expires }, NOW);
    expect(made().expiresAt).toBe(NOW + DEFAULT_SHARE_MS);
    expect(made(0).expiresAt).toBe(NOW + DEFAULT_SHARE_MS);
    expect(made(NOW + 3 * DAY).expiresAt).toBe(NOW + 3 * DAY);
    expect(made(NOW + 5000 * DAY).expiresAt).toBe(NOW + MAX_SHARE_MS);
    expect(() => made(NOW - 1)).toThrow('cannot expire in the past');
    const share = made();
    expect(share.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    updateShare(db, share.id, 'alice', { expires: 0 }, NOW + DAY);
    expect(shareById(db, share.id)?.expiresAt).toBe(NOW + DAY + MAX_SHARE_MS);
    updateShare(db, share.id, 'alice', { description: '  for Bob  ' }, NOW);
    expect(shareById(db, share.id)?.description).toBe('for Bob');
    db.close();
  });

  it('are changed and revoked by their maker, or by the server’s owner', () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    const share = createShare(db, { user: 'alice', entries: [3, 1, 2], description: 'three' }, NOW);
    expect(listShares(db, 'alice').map((s) => s.entries)).toEqual([[3, 1, 2]]);
    expect(listShares(db, 'bob')).toEqual([]);
    expect(() => deleteShare(db, share.id, 'bob')).toThrow("another user's: only they can change it");
    expect(() => updateShare(db, share.id, 'bob', { description: 'mine' })).toThrow('only they');
    deleteShare(db, share.id, undefined);
    expect(shareById(db, share.id)).toBeUndefined();
    expect(() => deleteShare(db, share.id, 'alice')).toThrow('there is no share');
    // A user removed takes their shares along, and only theirs.
    createShare(db, { user: 'alice', entries: [1] }, NOW);
    createShare(db, { user: 'alice', entries: [2] }, NOW);
    createShare(db, { user: 'bob', entries: [1] }, NOW);
    expect(deleteSharesOf(db, 'alice')).toBe(2);
    expect(listShares(db).map((s) => s.user)).toEqual(['bob']);
    db.close();
  });

  it('count visits without waiting for another writer: kept for later while the library is held', () => {
    const file = join(tempDir(), 'library.db');
    const db = openDatabase(file);
    const share = createShare(db, { user: 'alice', entries: [1] }, NOW);
    const other = openDatabase(file);
    other.exec('BEGIN IMMEDIATE');
    const visits = new Map([[share.id, { count: 3, last: NOW + 5 }]]);
    expect(addShareVisits(db, visits)).toBe(false);
    other.exec('COMMIT');
    expect(addShareVisits(db, visits)).toBe(true);
    expect(shareById(db, share.id)).toMatchObject({ visitCount: 3, lastVisited: NOW + 5 });
    other.close();
    db.close();
  });

  it(`hold 1 to ${MAX_SHARE_SONGS} songs, at most ${MAX_SHARES} a user; an expired one is forgotten a month on`, () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    expect(() => createShare(db, { user: 'alice', entries: [] })).toThrow('at least one song');
    const many = Array.from({ length: MAX_SHARE_SONGS + 1 }, (_, i) => i + 1);
    expect(() => createShare(db, { user: 'alice', entries: many })).toThrow(
      `at most ${MAX_SHARE_SONGS} songs`,
    );
    const old = createShare(db, { user: 'alice', entries: [1], expires: NOW + DAY }, NOW);
    for (let i = 1; i < MAX_SHARES; i++) createShare(db, { user: 'alice', entries: [1] }, NOW);
    expect(() => createShare(db, { user: 'alice', entries: [1] }, NOW)).toThrow(
      `at most ${MAX_SHARES} shares`,
    );
    // Another user keeps their own.
    createShare(db, { user: 'bob', entries: [1] }, NOW);
    // Past its expiry it is still listed to its maker, then forgotten 30 days on.
    const later = NOW + 20 * DAY;
    expect(() => createShare(db, { user: 'alice', entries: [1] }, later)).toThrow(`at most ${MAX_SHARES}`);
    createShare(db, { user: 'alice', entries: [1] }, NOW + 32 * DAY);
    expect(shareById(db, old.id)).toBeUndefined();
    db.close();
  });
});
