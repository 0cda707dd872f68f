// One file per recording in the mount: the copy the recording keeps (the user's choice, else the
// suggestion: a full copy before a partial one, then by sound, then by tags), following a new choice live and
// falling back to the next copy when the kept one goes missing; `--all-copies` serves every copy.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

interface Member {
  id: number;
  path: string;
  best: boolean;
  suggested: boolean;
}

function served(mnt: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [relative(mnt, join(dir, e.name))],
    );
  return walk(mnt)
    .map((p) => p.split('/').pop()!)
    .sort();
}

describe('a mount of one file per recording', () => {
  const lib = tempDir();
  const home = tempDir();
  const mnt = join(tempDir(), 'mnt');
  const all = join(tempDir(), 'all');
  let before: Map<string, string>;
  let members: Member[];

  beforeAll(() => {
    // Recording A four times (FLAC, MP3, Ogg Vorbis, and a FLAC of its last 30 s), recording B once.
    writeCopies(lib, 'a', 'b');
    before = hashTree(lib);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    const groups = sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']);
    expect(groups).toHaveLength(1);
    members = groups[0]!.members;
    expect(members).toHaveLength(4);
    const mount = sleeveHere(home, ['mount', mnt]);
    expect(mount.status, mount.stderr).toBe(0);
    expect(mount.stdout).toMatch(/^mounted 2 files at .*, one copy per recording of 5 files/);
  }, 120_000);

  afterAll(() => {
    sleeveHere(home, ['umount', mnt]);
    sleeveHere(home, ['umount', all]);
    rmSync(lib, { recursive: true, force: true });
  });

  const idOf = (name: string) => members.find((m) => m.path.endsWith(`/${name}`))!.id;

  it('serves the suggested copy: the full lossless one', () => {
    expect(members.find((m) => m.suggested)!.path).toMatch(/\/a\.flac$/);
    expect(served(mnt)).toEqual(['a.flac', 'b.wav']);
  });

  it('follows the copy the user keeps, live', async () => {
    expect(sleeveHere(home, ['dup', '--prefer', String(idOf('a.mp3'))]).status).toBe(0);
    await waitFor('the mount to serve the kept MP3', () =>
      served(mnt).join() === 'a.mp3,b.wav' ? true : undefined,
    );
  });

  it('serves every copy with --all-copies, beside the other mount', () => {
    const r = sleeveHere(home, ['mount', '--all-copies', all]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mounted 5 files at /);
    expect(served(all)).toEqual(['a-end.flac', 'a.flac', 'a.mp3', 'a.ogg', 'b.wav']);
    expect(sleeveHere(home, ['mounts']).stdout).toMatch(/every copy/);
  });

  it('falls back to the next copy when the kept one is missing, and back when it returns', async () => {
    const mp3 = join(lib, 'a.mp3');
    const kept = join(tempDir(), 'a.mp3');
    tool('mv', [mp3, kept]);
    try {
      expect(sleeveHere(home, ['scan', '--no-embeddings', lib]).status).toBe(0);
      await waitFor('the mount to fall back to the FLAC', () =>
        served(mnt).join() === 'a.flac,b.wav' ? true : undefined,
      );
      expect(sleeveHere(home, ['dup']).stdout).toMatch(
        /your choice, track \d+ \(.*a\.mp3\), is missing on disk/,
      );
    } finally {
      tool('mv', [kept, mp3]);
    }
    expect(sleeveHere(home, ['scan', '--no-embeddings', lib]).status).toBe(0);
    await waitFor('the mount to serve the kept MP3 again', () =>
      served(mnt).join() === 'a.mp3,b.wav' ? true : undefined,
    );
  }, 60_000);

  it('keeps the lossless copy over a titled MP3: what is heard comes before the tags', async () => {
    expect(sleeveHere(home, ['dup', '--unprefer', String(idOf('a.mp3'))]).status).toBe(0);
    await waitFor('the mount to serve the suggested FLAC', () =>
      served(mnt).join() === 'a.flac,b.wav' ? true : undefined,
    );
    const suggested = () =>
      sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json'])[0]!.members.find(
        (m) => m.suggested,
      )!;
    // Only the MP3 names the recording; the FLAC is still kept (tags decide among copies that sound alike).
    expect(sleeveHere(home, ['set', 'path:a.mp3', 'title=Named', '-y']).status).toBe(0);
    expect(suggested().path).toMatch(/\/a\.flac$/);
    expect(sleeveHere(home, ['set', 'path:a.flac', 'title=Named', '-y']).status).toBe(0);
    await waitFor('the mount to serve the named FLAC', () =>
      served(mnt).join() === 'Named.flac,b.wav' ? true : undefined,
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    await waitFor('the mount to serve the FLAC by its file name again', () =>
      served(mnt).join() === 'a.flac,b.wav' ? true : undefined,
    );
  }, 60_000);

  it('never touches the originals', () => {
    expect(hashTree(lib)).toEqual(before);
  });
});
