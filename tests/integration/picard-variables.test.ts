// A script's hidden variables of a file's audio are Picard's own (Debian's picard 2.8 reading the same
// files with its file classes: tests/fixtures/picard-name.py --info): %_format% ("Ogg Vorbis", "MPEG-1
// Layer 3 - ID3v2.4", "MPEG-4 Audio (ALAC)"), %_length% (whole seconds rounded half to even, an hour as
// h:mm:ss) and %_bitrate% (kbit/s as Python writes a float: "96.0"), over a file of each format Debian's
// encoders make. Bit rates are compared where the scan and mutagen measure alike (MP2, Vorbis's nominal,
// WAV's); elsewhere the scan's is its own measure — an MP3's over its frames (96.042 where mutagen gives
// the header's 96.0), FLAC's and AAC's rounded where mutagen truncates (93.418 and 93.417), ALAC's and
// AIFF's from the stream, and Opus's and WavPack's where mutagen gives none.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptContext } from '../../app/shared/tagger-script/context.ts';
import { runScript } from '../../app/shared/tagger-script/evaluate.ts';
import { trackScriptContext } from '../../app/shared/tagger-script/track-context.ts';
import { sleeveHere, tempDir, tool } from '../helpers.ts';
import { PY } from '../mount-helpers.ts';

const PICARD = new URL('../fixtures/picard-name.py', import.meta.url).pathname;

/** A file of each format: its name, seconds of tone, ffmpeg's output options, and whether its bit rate is
 *  compared. Lengths on a half second (2.5, 3.5) and just under a minute show Picard's rounding. */
const FILES: ReadonlyArray<[name: string, seconds: number, codec: string[], bitrate: boolean]> = [
  ['a.flac', 2.5, ['-c:a', 'flac'], false],
  ['b.mp3', 59.7, ['-c:a', 'libmp3lame', '-b:a', '96k'], false],
  ['c.mp2', 3.5, ['-c:a', 'mp2', '-b:a', '128k'], true],
  ['d.ogg', 4.2, ['-c:a', 'libvorbis'], true],
  ['e.opus', 3.2, ['-c:a', 'libopus'], false],
  ['f.m4a', 5.2, ['-c:a', 'aac'], false],
  ['g.m4a', 2.2, ['-c:a', 'alac'], false],
  ['h.wav', 1.5, ['-c:a', 'pcm_s16le'], true],
  ['i.aiff', 1.2, ['-c:a', 'pcm_s16be'], false],
  ['j.wv', 2.2, ['-c:a', 'wavpack'], false],
];

describe("a script's hidden variables of the audio", () => {
  it("are Picard's for a file of each format", () => {
    const music = tempDir();
    const home = tempDir();
    for (const [i, [name, seconds, codec]] of FILES.entries())
      tool('ffmpeg', [
        ...['-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${300 + 97 * i}:d=${seconds}`],
        ...codec,
        join(music, name),
      ]);
    const picard = JSON.parse(
      execFileSync(PY, [PICARD, '--info', ...FILES.map(([name]) => join(music, name))], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ format: string; length: string; bitrate: string }>;
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const script = sleeveHere(home, [
      'script',
      '%_format%|%_length%|%_bitrate%',
      '--all-copies',
      '--json',
      'path::.',
    ]);
    expect(script.stderr).toBe('');
    const byName = new Map(
      script.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { path: string; result: string })
        .map(({ path, result }) => [path.slice(path.lastIndexOf('/') + 1), result.split('|')]),
    );
    for (const [i, [name, , , bitrate]] of FILES.entries()) {
      const [format, length, rate] = byName.get(name)!;
      const expected = picard[i]!;
      expect({ name, format, length }).toEqual({ name, format: expected.format, length: expected.length });
      if (bitrate) expect({ name, rate }).toEqual({ name, rate: expected.bitrate });
    }
  }, 60_000);

  it('writes an hour and more as h:mm:ss, as Picard does, and nothing for no duration', () => {
    const length = (duration: number | null) =>
      runScript(
        '%_length%',
        trackScriptContext([], {
          path: '/m/a.flac',
          duration,
          bitrate: null,
          sampleRate: null,
          channels: null,
          bitDepth: null,
          format: 'flac',
          codec: null,
        }),
      );
    // Picard's util.format_time of these lengths in whole milliseconds.
    expect([3661.4, 3599.5, 7200, 0.5, 0].map(length)).toEqual([
      '1:01:01',
      '1:00:00',
      '2:00:00',
      '0:00',
      '?:??',
    ]);
    expect(length(null)).toBe('');
    expect(runScript('%_length%', new ScriptContext())).toBe('');
  });
});
