// npm run bench -- transcodes [--tracks 12] [--baseline REF]
// Copies transcoded from lossy audio, on real music (Debian's wesnoth-1.16-music, Ogg Vorbis originals):
// - transcodes: each original beside a FLAC and a 320 kbps MP3 made from its decode (the "fake FLAC" and
//   the needless upsample of a collection). Found: the recordings whose kept copy is the original, and the
//   transcodes `sleeve dup` says were made from lossy audio;
// - lossless beside its encodes: each original's decode as a FLAC (standing in for a lossless master:
//   Debian ships no real lossless music) beside a 128 kbps MP3, a 128 kbps AAC and a 320 kbps MP3 made from
//   it. Wrongly flagged: the FLACs said to be transcoded from one of their own encodes; the FLAC should be
//   kept;
// - below transparency: a 112 kbps Vorbis of each original beside a 128 kbps MP3 made from it, and (apart)
//   beside a 128 kbps MP3 of the original's decode. Found: the recordings keeping the Vorbis;
// - lone transcodes: with no source beside them, a FLAC of each original's 128 kbps MP3, a FLAC of its 128
//   kbps AAC and a 320 kbps MP3 of its 128 kbps MP3, and a FLAC of the original's own decode. Found: those
//   `sleeve ls lossycut:` lists (the Vorbis decodes reported apart: a Vorbis file keeps what its encoder
//   kept, up to 22 kHz at higher rates);
// - lossless with no cliff: synthesized masters (Debian ships no real lossless music): pink noise over the
//   whole band, music-like slopes (one, two and four poles from 3 to 12 kHz, a tape's roll-off), plucked
//   chords, brown noise, a 24-bit 96 kHz one, and two resampled from 96 kHz by SoX's steepest filters (a
//   studio's converter stopping near 21 kHz). Wrongly flagged: those `lossycut:` lists;
// - baseline: the same libraries through `sleeve` at REF (default 4cc51cd, before the rule), in the same run
//   (which has no `lossycut`: the lone libraries are Sleeve's alone).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baselineCheckout } from './baseline-checkout.ts';
import { originals } from './music-library.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;

interface Member {
  path: string;
  best: boolean;
  why: string;
  /** The copy `sleeve dup` says this one was transcoded from (lossy audio), if any. */
  transcodedFrom: number | null;
}

/** `src` made into `dst`, its tags kept (an Ogg file's are its stream's, which ffmpeg copies only into Ogg
 *  unless told): a transcode in a collection carries its source's tags. */
const ffmpeg = (src: string, args: string[], dst: string) => {
  const tags = src.endsWith('.ogg') ? ['-map_metadata', '0:s:a:0'] : [];
  execFileSync('ffmpeg', ['-v', 'error', '-i', src, ...tags, ...args, dst]);
};

/** The synthesized masters: sox's effects after `synth 30`, as [name, rate, bits, effects, the rate it
 *  synthesizes at when another (a resampled master)]. */
const MASTERS: ReadonlyArray<[string, number, number, string[], number?]> = [
  ['pink', 44_100, 16, ['synth', '30', 'pinknoise', 'vol', '0.3']],
  ['brown', 44_100, 16, ['synth', '30', 'brownnoise', 'vol', '0.5']],
  ['slope-1-pole-6k', 44_100, 16, ['synth', '30', 'pinknoise', 'lowpass', '-1', '6000', 'vol', '0.5']],
  ['slope-2-pole-8k', 44_100, 16, ['synth', '30', 'pinknoise', 'lowpass', '8000', 'vol', '0.5']],
  [
    'slope-4-pole-3k',
    44_100,
    16,
    ['synth', '30', 'pinknoise', 'lowpass', '3000', 'lowpass', '3000', 'vol', '0.7'],
  ],
  [
    'tape-12k',
    44_100,
    16,
    ['synth', '30', 'pinknoise', 'lowpass', '12000', 'lowpass', '12000', 'vol', '0.5'],
  ],
  [
    'plucks',
    44_100,
    16,
    ['synth', '0.5', 'pluck', 'C3', 'pluck', 'E3', 'pluck', 'G3', 'repeat', '60', 'vol', '0.5'],
  ],
  ['hires-slope', 96_000, 24, ['synth', '30', 'pinknoise', 'lowpass', '-1', '3000', 'vol', '0.5']],
  // Made at 96 kHz and resampled as a studio does, by SoX at its narrowest common bandwidths (the audio
  // passes up to 90 % and 85 % of 22.05 kHz): a steep filter near 20 kHz, as a lossy encoder's is.
  ...[90, 85].map((band): [string, number, number, string[], number] => [
    `resampled-b${band}`,
    44_100,
    16,
    ['synth', '30', 'pinknoise', 'vol', '0.5', 'rate', '-v', '-b', String(band), '44100'],
    96_000,
  ]),
];

interface Libraries {
  readonly transcodes: string;
  readonly encodes: string;
  readonly lesser: string;
  readonly siblings: string;
  readonly lone: string;
  readonly masters: string;
}

function libraries(tracks: number): Libraries {
  const root = benchTempDir('transcodes-');
  const [transcodes, encodes] = [join(root, 'transcodes'), join(root, 'encodes')];
  const [lesser, siblings] = [join(root, 'lesser'), join(root, 'siblings')];
  const [lone, masters] = [join(root, 'lone'), join(root, 'masters')];
  mkdirSync(masters, { recursive: true });
  for (const [name, rate, bits, effects, synthRate] of MASTERS)
    execFileSync('sox', [
      ...(synthRate ? ['-r', String(synthRate)] : []),
      '-n',
      '-r',
      String(rate),
      '-c',
      '2',
      '-b',
      String(bits),
      join(masters, `${name}.flac`),
      ...effects,
      'dither',
    ]);
  originals(tracks).forEach((src, i) => {
    const t = join(transcodes, String(i));
    mkdirSync(t, { recursive: true });
    ffmpeg(src, ['-c:a', 'copy'], join(t, 'original.ogg'));
    ffmpeg(src, ['-c:a', 'flac'], join(t, 'transcode.flac'));
    ffmpeg(src, ['-c:a', 'libmp3lame', '-b:a', '320k'], join(t, 'transcode.mp3'));
    // Made for a phone: Opus fills the bands above its source's top; ffmpeg's AAC drifts 0.02–0.12 LU.
    ffmpeg(src, ['-c:a', 'libopus', '-b:a', '128k'], join(t, 'transcode.opus'));
    ffmpeg(src, ['-c:a', 'aac', '-b:a', '192k'], join(t, 'transcode.m4a'));
    const e = join(encodes, String(i));
    mkdirSync(e, { recursive: true });
    ffmpeg(src, ['-c:a', 'flac'], join(e, 'master.flac'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'libmp3lame', '-b:a', '128k'], join(e, 'encode.mp3'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'aac', '-b:a', '128k'], join(e, 'encode.m4a'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'libmp3lame', '-b:a', '320k'], join(e, 'encode-320.mp3'));
    // Below transparency: a 112 kbps Vorbis of the original beside a 128 kbps MP3 made from it, and beside
    // a 128 kbps MP3 of the same decode (an encode of its master, not of it).
    const b = join(lesser, String(i));
    mkdirSync(b, { recursive: true });
    ffmpeg(src, ['-c:a', 'libvorbis', '-b:a', '112k'], join(b, 'original.ogg'));
    ffmpeg(join(b, 'original.ogg'), ['-c:a', 'libmp3lame', '-b:a', '128k'], join(b, 'transcode.mp3'));
    const sibling = join(siblings, String(i));
    mkdirSync(sibling, { recursive: true });
    ffmpeg(join(b, 'original.ogg'), ['-c:a', 'copy'], join(sibling, 'original.ogg'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'libmp3lame', '-b:a', '128k'], join(sibling, 'encode.mp3'));
    const l = join(lone, String(i));
    mkdirSync(l, { recursive: true });
    ffmpeg(src, ['-c:a', 'libmp3lame', '-b:a', '128k'], join(root, `${i}.mp3`));
    ffmpeg(src, ['-c:a', 'aac', '-b:a', '128k'], join(root, `${i}.m4a`));
    ffmpeg(join(root, `${i}.mp3`), ['-c:a', 'flac'], join(l, 'of-mp3.flac'));
    ffmpeg(join(root, `${i}.m4a`), ['-c:a', 'flac'], join(l, 'of-aac.flac'));
    ffmpeg(join(root, `${i}.mp3`), ['-c:a', 'libmp3lame', '-b:a', '320k'], join(l, 'of-mp3-320.mp3'));
    ffmpeg(src, ['-c:a', 'flac'], join(l, 'of-vorbis.flac'));
  });
  return { transcodes, encodes, lesser, siblings, lone, masters };
}

/** `sleeve` at `sleeveJs` over a new library of `dir`, scanned. */
function scanned(sleeveJs: string, dir: string): (args: string[]) => string {
  const home = benchTempDir('transcodes-home-');
  const run = (args: string[]) =>
    execFileSync(process.execPath, [sleeveJs, '--home', home, ...args], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'], // "no tracks match" is an answer here
    }).toString();
  run(['scan', '--no-embeddings', '--workers', '2', dir]);
  return run;
}

/** Each recording's members as `sleeve dup --json` lists them, after a scan of `dir`. */
function groups(sleeveJs: string, dir: string): Member[][] {
  const run = scanned(sleeveJs, dir);
  return (JSON.parse(run(['dup', '--json'])) as Array<{ members: Member[] }>).map((g) => g.members);
}

/** The files of `dir` that this checkout says look transcoded from lossy audio, by name. */
function lossyCuts(dir: string): Map<string, number> {
  const run = scanned(CLI, dir);
  const listed = JSON.parse(run(['ls', '--json', '--all-copies', 'lossycut:'])) as Array<{ path: string }>;
  const names = new Map<string, number>();
  for (const { path } of listed) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  return names;
}

function score(members: Member[][], kept: RegExp, flagged: RegExp) {
  return {
    recordings: members.length,
    kept: members.filter((g) => kept.test(g.find((m) => m.best)?.path ?? '')).length,
    flagged: members.flat().filter((m) => flagged.test(m.path) && m.transcodedFrom !== null).length,
    flaggedBy: ['flac', 'mp3', 'opus', 'm4a']
      .map((ext) => {
        const of = members.flat().filter((m) => m.path.endsWith(`transcode.${ext}`));
        return `${ext} ${of.filter((m) => m.transcodedFrom !== null).length}/${of.length}`;
      })
      .join(', '),
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { tracks: { type: 'string' }, baseline: { type: 'string' } },
  });
  const tracks = Number(values.tracks ?? 12);
  const { transcodes, encodes, lesser, siblings, lone, masters } = libraries(tracks);
  const base = baselineCheckout(values.baseline ?? '4cc51cd', 'transcodes-baseline-');
  try {
    execFileSync(process.execPath, [join(base.sleeveJs, '../native-build.ts')], { stdio: 'ignore' });
    for (const [name, sleeveJs] of [
      ['Sleeve', CLI],
      ['baseline', base.sleeveJs],
    ] as const) {
      const t = score(groups(sleeveJs, transcodes), /original\.ogg$/, /transcode\./);
      const e = score(groups(sleeveJs, encodes), /master\.flac$/, /master\.flac$/);
      const vorbisKept = (dir: string) => {
        const of = groups(sleeveJs, dir);
        return `${of.filter((g) => /original\.ogg$/.test(g.find((m) => m.best)?.path ?? '')).length} of ${of.length}`;
      };
      console.log(
        `${name}: transcodes — original kept in ${t.kept} of ${t.recordings} recordings, ${t.flagged} of ${4 * tracks} transcodes said transcoded from lossy (${t.flaggedBy}); ` +
          `lossless beside its encodes — FLAC kept in ${e.kept} of ${e.recordings}, wrongly flagged ${e.flagged} of ${tracks}; ` +
          `a 112k Vorbis kept beside a 128k MP3 made from it in ${vorbisKept(lesser)}, ` +
          `beside a 128k MP3 of its master in ${vorbisKept(siblings)}`,
      );
    }
    const found = lossyCuts(lone);
    const of = (name: string) => `${found.get(name) ?? 0} of ${tracks}`;
    console.log(
      `Sleeve: lone transcodes named — FLAC of a 128k MP3 ${of('of-mp3.flac')}, FLAC of a 128k AAC ${of('of-aac.flac')}, ` +
        `320k MP3 of a 128k MP3 ${of('of-mp3-320.mp3')}; FLAC of the Vorbis original's decode ${of('of-vorbis.flac')}`,
    );
    const wrong = lossyCuts(masters);
    console.log(
      `Sleeve: synthesized lossless masters wrongly named — ${[...wrong.values()].reduce((a, b) => a + b, 0)} of ${MASTERS.length}` +
        (wrong.size ? ` (${[...wrong.keys()].join(', ')})` : ''),
    );
  } finally {
    base.remove();
  }
}
