// npm run bench -- transcodes [--tracks 12] [--baseline REF]
// Copies transcoded from lossy audio, on real music (Debian's wesnoth-1.16-music, Ogg Vorbis originals):
// - transcodes: each original beside a FLAC and a 320 kbps MP3 made from its decode (the "fake FLAC" and
//   the needless upsample of a collection). Found: the recordings whose kept copy is the original, and the
//   transcodes `sleeve dup` says were made from lossy audio;
// - lossless beside its encodes: each original's decode as a FLAC (standing in for a lossless master:
//   Debian ships no real lossless music) beside a 128 kbps MP3, a 128 kbps AAC and a 320 kbps MP3 made from
//   it. Wrongly flagged: the FLACs said to be transcoded from one of their own encodes; the FLAC should be
//   kept;
// - baseline: the same libraries through `sleeve` at REF (default 4cc51cd, before the rule), in the same run.
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
}

/** `src` made into `dst`, its tags kept (an Ogg file's are its stream's, which ffmpeg copies only into Ogg
 *  unless told): a transcode in a collection carries its source's tags. */
const ffmpeg = (src: string, args: string[], dst: string) => {
  const tags = src.endsWith('.ogg') ? ['-map_metadata', '0:s:a:0'] : [];
  execFileSync('ffmpeg', ['-v', 'error', '-i', src, ...tags, ...args, dst]);
};

function libraries(tracks: number): { transcodes: string; encodes: string } {
  const root = benchTempDir('transcodes-');
  const [transcodes, encodes] = [join(root, 'transcodes'), join(root, 'encodes')];
  originals(tracks).forEach((src, i) => {
    const t = join(transcodes, String(i));
    mkdirSync(t, { recursive: true });
    ffmpeg(src, ['-c:a', 'copy'], join(t, 'original.ogg'));
    ffmpeg(src, ['-c:a', 'flac'], join(t, 'transcode.flac'));
    ffmpeg(src, ['-c:a', 'libmp3lame', '-b:a', '320k'], join(t, 'transcode.mp3'));
    const e = join(encodes, String(i));
    mkdirSync(e, { recursive: true });
    ffmpeg(src, ['-c:a', 'flac'], join(e, 'master.flac'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'libmp3lame', '-b:a', '128k'], join(e, 'encode.mp3'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'aac', '-b:a', '128k'], join(e, 'encode.m4a'));
    ffmpeg(join(e, 'master.flac'), ['-c:a', 'libmp3lame', '-b:a', '320k'], join(e, 'encode-320.mp3'));
  });
  return { transcodes, encodes };
}

/** Each recording's members as `sleeve dup --json` lists them, after a scan of `dir`. */
function groups(sleeveJs: string, dir: string): Member[][] {
  const home = benchTempDir('transcodes-home-');
  const run = (args: string[]) =>
    execFileSync(process.execPath, [sleeveJs, '--home', home, ...args], { maxBuffer: 1 << 28 }).toString();
  run(['scan', '--no-embeddings', '--workers', '2', dir]);
  return (JSON.parse(run(['dup', '--json'])) as Array<{ members: Member[] }>).map((g) => g.members);
}

function score(members: Member[][], kept: RegExp, flagged: RegExp) {
  return {
    recordings: members.length,
    kept: members.filter((g) => kept.test(g.find((m) => m.best)?.path ?? '')).length,
    flagged: members.flat().filter((m) => flagged.test(m.path) && /transcoded from lossy/.test(m.why)).length,
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { tracks: { type: 'string' }, baseline: { type: 'string' } },
  });
  const tracks = Number(values.tracks ?? 12);
  const { transcodes, encodes } = libraries(tracks);
  const base = baselineCheckout(values.baseline ?? '4cc51cd', 'transcodes-baseline-');
  try {
    execFileSync(process.execPath, [join(base.sleeveJs, '../native-build.ts')], { stdio: 'ignore' });
    for (const [name, sleeveJs] of [
      ['Sleeve', CLI],
      ['baseline', base.sleeveJs],
    ] as const) {
      const t = score(groups(sleeveJs, transcodes), /original\.ogg$/, /transcode\./);
      const e = score(groups(sleeveJs, encodes), /master\.flac$/, /master\.flac$/);
      console.log(
        `${name}: transcodes — original kept in ${t.kept} of ${t.recordings} recordings, ${t.flagged} of ${2 * tracks} transcodes said transcoded from lossy; ` +
          `lossless beside its encodes — FLAC kept in ${e.kept} of ${e.recordings}, wrongly flagged ${e.flagged} of ${tracks}`,
      );
    }
  } finally {
    base.remove();
  }
}
