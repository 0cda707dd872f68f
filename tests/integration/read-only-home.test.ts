// A home on read-only media (a backup mounted read-only, a share exported so): every command that reads
// answers, and one that would write says plainly why it cannot — no "internal error", no stack. Each
// command runs in a mount namespace of its own where the home is bound read-only (unshare), so no mount
// outlives the test whatever happens to it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { taggedLibrary } from '../fixtures/tagged-library.ts';
import { CLI, type CliResult } from '../helpers.ts';

/** `sleeve --home HOME args` with HOME bound read-only over itself. */
function readOnly(home: string, args: readonly string[]): CliResult {
  const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"';
  const r = spawnSync(
    'unshare',
    [
      '--mount',
      '--map-root-user',
      'sh',
      '-c',
      script,
      'sh',
      home,
      process.execPath,
      CLI,
      '--home',
      home,
      ...args,
    ],
    { encoding: 'utf8', input: '' },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const REFUSAL =
  /^sleeve: the library can only be read: .* is on a read-only file system \(this command writes there\)\n$/;

describe('a read-only home', () => {
  let home: string;
  beforeAll(() => {
    const { db } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['Same Title'], artist: ['The Wall'], album: ['A'] } },
      { path: '/music/b.flac', tags: { title: ['Other'], artist: ['The Wall'], album: ['A'] } },
    ]);
    home = dirname(db.name);
    db.close();
  });

  it('answers every command that reads', () => {
    for (const args of [
      ['ls'],
      ['ls', '-f', '$artist/$title'],
      ['info', '1'],
      ['stats'],
      ['history'],
      ['dup'],
      ['playlist'],
      ['mounts'],
      ['art'],
      ['set', 'title:same', 'title=New'], // a preview, without -y
    ]) {
      const r = readOnly(home, args);
      expect(r.stderr, args.join(' ')).not.toMatch(/internal error|\n {4}at /);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(args[0] === 'set' ? 1 : 0);
    }
    expect(readOnly(home, ['ls', '-f', '$title']).stdout).toBe('Same Title\nOther\n');
  });

  it('refuses every command that writes, saying why', () => {
    for (const args of [
      ['set', 'title:same', 'title=New', '-y'],
      ['scan', home],
      ['mount', `${home}/mnt`],
      ['watch'],
      ['playlist', 'new', 'X', 'title:same'],
    ]) {
      const r = readOnly(home, args);
      expect(r.stderr, args.join(' ')).toMatch(REFUSAL);
      expect(r.status).toBe(1);
    }
    expect(readOnly(home, ['ls', '-f', '$title']).stdout).toBe('Same Title\nOther\n');
  });

  it('says why a library it cannot read is not read: its last changes in a WAL without its index', () => {
    writeFileSync(`${home}/library.db-wal`, 'changes a stopped Sleeve left');
    try {
      const r = readOnly(home, ['ls']);
      expect(r.stderr).toMatch(/^sleeve: the library cannot be read: .* library\.db-wal .*\n$/);
      expect(r.status).toBe(1);
    } finally {
      writeFileSync(`${home}/library.db-wal`, '');
    }
    expect(readOnly(home, ['ls']).status).toBe(0);
  });
});
