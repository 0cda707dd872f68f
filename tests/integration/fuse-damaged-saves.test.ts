// A damaged ID3 save through the mount is refused, never taken in as an edit: MP3, WAV and AIFF (the tag
// in its id3 chunk). The two cases that used to clear every field: one byte — the extended-header flag —
// set in the tag's header, and a tagger killed part way through an in-place rewrite of the tag. Each is
// refused (EIO, or nobody to tell when the writer died), the daemon's log and `sleeve mounts` say which
// file and why, and the library is as it was.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { id3Span } from '../fixtures/id3-tag.ts';
import { run } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tool } from '../helpers.ts';
import { PY, TestMount, waitFor } from '../mount-helpers.ts';

// mutagen's save of a new title, in place: the tag fits the served padding, so nothing after it moves.
const RETITLE = `
import sys, mutagen
from mutagen.id3 import TIT2
f = mutagen.File(sys.argv[1])
f.tags.add(TIT2(encoding=3, text=['New Title']))
f.save()
`;
// A tagger writing its rewrite of the tag in place, killed after 32 bytes.
const TORN = `
import os, sys, time
new = open(sys.argv[2], 'rb').read()
at = int(sys.argv[3])
fd = os.open(sys.argv[1], os.O_RDWR)
os.pwrite(fd, new[at:at + 32], at)
print('written', flush=True)
time.sleep(60)
`;

const FORMATS = [
  ['song.mp3', 'Mp3 Singularity Music', '.mp3'],
  ['song.wav', 'Wav Singularity Music', '.wav'],
  ['song.aiff', 'Aiff Singularity Music', '.aiff'],
] as const;

describe('sleeve mount: a damaged ID3 save is refused, the library unchanged', () => {
  const t = new TestMount();
  const batches = () => sleeveHereJson<unknown[]>(t.home, ['history', '--json']).length;
  /** The latest problem the daemon reports for the served file `name` (through `sleeve mounts`). */
  const reported = (name: string) =>
    sleeveHereJson<Array<{ problems: string[] }>>(t.home, ['mounts', '--json'])[0]!.problems.findLast((p) =>
      p.includes(name),
    );

  beforeAll(() => {
    const wav = join(t.dir, 'tone.wav');
    tool('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', wav, 'synth', '1', 'sine', '440']);
    run('lame', ['--quiet', '-b', '32', wav, join(t.music, 'song.mp3')]);
    writeFileSync(join(t.music, 'song.wav'), readFileSync(wav));
    tool('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'pcm_s16be', join(t.music, 'song.aiff')]);
    const fields = [
      'artist=Singularity',
      'albumartist=Singularity',
      'album=Damage',
      'tracknumber=3',
      'totaltracks=9',
      'date=2024-02-03',
      'genre=Jazz',
      'composer=Someone',
      'comment=Kept',
    ];
    t.start(
      FORMATS.map(([name]) => name),
      FORMATS.map(([name, title]) => [name, `title=${title}`, ...fields]),
    );
  });

  afterAll(() => t.stop());

  it.each(FORMATS)(
    '%s: the extended-header flag set in the tag header is refused (EIO)',
    (name, title, ext) => {
      const path = t.served(`${title}${ext}`);
      const at = id3Span(readFileSync(path))[0] + 5;
      expect(readFileSync(path)[at]).toBe(0);
      const before = t.info(name).fields;
      const saved = batches();
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from([0x40]), 0, 1, at);
      expect(() => closeSync(fd)).toThrow(/EIO/);
      expect(t.info(name).fields).toEqual(before);
      expect(batches()).toBe(saved);
      expect(t.log()).toContain(
        `${basename(path)}: write rejected, nothing changed: the written file cannot be read: the ID3v2.4 tag has an extended header of`,
      );
    },
  );

  it.each(FORMATS)(
    '%s: a tagger killed part way through rewriting the tag changes nothing',
    async (name, title, ext) => {
      const path = t.served(`${title}${ext}`);
      const served = readFileSync(path);
      const copy = join(t.dir, `rewrite${ext}`);
      writeFileSync(copy, served);
      execFileSync(PY, ['-c', RETITLE, copy]);
      expect(readFileSync(copy).length).toBe(served.length); // in place: only the tag's bytes differ
      const before = t.info(name).fields;
      const saved = batches();
      const writer = spawn(PY, ['-c', TORN, path, copy, String(id3Span(served)[0])]);
      const exited = new Promise((r) => writer.once('exit', r));
      await Promise.race([new Promise((r) => writer.stdout.once('data', r)), exited]);
      writer.kill('SIGKILL');
      await exited;
      // Its file closed by the kernel, the writer's 32 bytes are checked and refused, with nobody to tell.
      const file = basename(path);
      const verdict = await waitFor(`the daemon's verdict on ${file}`, () =>
        t
          .log()
          .split('\n')
          .findLast((l) => l.includes(file) && /write rejected|saved/.test(l)),
      );
      expect(verdict).toMatch(
        /write rejected, nothing changed: the written file cannot be read: the ID3v2\.4 tag/,
      );
      expect(t.info(name).fields).toEqual(before);
      expect(batches()).toBe(saved);
      expect(readFileSync(path).equals(served)).toBe(true);
      await waitFor('the refusal in `sleeve mounts`', () => reported(file));
      expect(sleeveHere(t.home, ['mounts']).stdout).toContain(`${file}: write rejected, nothing changed`);
    },
  );

  it('takes back what it served: a comment given twice is served once, and TagLib saving the file is taken', async () => {
    const [name, title, ext] = FORMATS[0];
    expect(sleeveHere(t.home, ['set', '-y', `path:${name}`, 'comment=Twice', 'comment=Twice']).status).toBe(
      0,
    );
    const path = await waitFor('the comment served', () => {
      const p = t.served(`${title}${ext}`);
      return readFileSync(p).includes('Twice') ? p : undefined;
    });
    const saved = batches();
    tool('kid3-cli', ['-c', 'set genre "From TagLib"', path]);
    await waitFor('the save taken', () => (batches() === saved + 1 ? true : undefined));
    expect(t.info(name).fields.find((f) => f.key === 'genre')?.effective).toEqual(['From TagLib']);
  });
});
