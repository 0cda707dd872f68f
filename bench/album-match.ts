// npm run bench -- album-match [--albums N]
// Matching albums to releases, Sleeve's matcher against beets 1.6's (assign_items + distance, what `beet
// import` runs once it has its candidates), on the same generated albums in the same run, each with three
// candidate releases — the true one and two of: its remaster (same titles, every track 3–6 s longer, same
// title), a deluxe edition (two bonus tracks), another album by the same artist — and files that carry
// titles (one in ten misspelt), the artist, the album and track numbers, lengths within 1.5 s of the
// truth; one album in five misses a track, one in ten has an extra file. No AcoustID evidence on either
// side (beets has none without its chroma plugin): tags and lengths only. Measured: how often each picks
// the true release, and the seconds spent matching (objects built before the clock starts, both sides).
import { execFileSync } from 'node:child_process';
import type { MbRelease } from '../app/core/identify/musicbrainz.ts';
import { type ClusterFile, matchRelease } from '../app/core/identify/release-match.ts';
import { prng } from '../tests/fixtures/music.ts';
import { mbid, release, type TrackSpec } from '../tests/fixtures/musicbrainz-data.ts';
import { machine } from './measure.ts';

const WORDS =
  'amber harbour kestrel tide paper moon salt ember winter gate shore coda lantern river glass field quiet engine north light road velvet stone echo'.split(
    ' ',
  );

interface Album {
  readonly truth: string;
  readonly candidates: MbRelease[];
  readonly files: Array<ClusterFile & { album: string }>;
}

function generate(count: number): Album[] {
  const rand = prng(24);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const title = () => `${pick(WORDS)} ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase());
  const tracks = (n: number): TrackSpec[] =>
    Array.from({ length: n }, (_, i) => ({
      title: `${title()} ${i + 1}`,
      length: 120 + Math.round(rand() * 280),
    }));
  return Array.from({ length: count }, (_, a) => {
    const artist = `Artist ${a}`;
    const name = title();
    const own = tracks(8 + Math.floor(rand() * 7));
    const truth = release({ id: mbid(`album ${a}`), title: name, artist, discs: [own] });
    const decoys = [
      release({
        id: mbid(`remaster ${a}`),
        title: name,
        artist,
        date: '2015-01-01',
        discs: [own.map((t) => ({ ...t, length: t.length + 3 + rand() * 3 }))],
      }),
      release({
        id: mbid(`deluxe ${a}`),
        title: `${name} (Deluxe Edition)`,
        artist,
        discs: [[...own, ...tracks(2)]],
      }),
      release({ id: mbid(`other ${a}`), title: title(), artist, discs: [tracks(own.length)] }),
    ];
    decoys.splice(Math.floor(rand() * 3), 1);
    const candidates = [truth, ...decoys].sort(() => rand() - 0.5);
    let files = own.map((t, i) => ({
      id: i + 1,
      duration: t.length + (rand() * 3 - 1.5),
      title: rand() < 0.1 ? t.title.replace(/[aeiou]/, 'x') : t.title,
      artist,
      album: name,
      track: i + 1,
      recordings: new Set<string>(),
    }));
    if (rand() < 0.2) files = files.filter((_, i) => i !== Math.floor(rand() * own.length));
    if (rand() < 0.1)
      files.push({
        id: 99,
        duration: 60 + rand() * 200,
        title: title(),
        artist,
        album: name,
        track: 99,
        recordings: new Set(),
      });
    return { truth: truth.id, candidates, files };
  });
}

/** The albums as the beets script reads them. */
const forBeets = (albums: readonly Album[]) =>
  JSON.stringify({
    clusters: albums.map((a) => ({
      items: a.files.map((f) => ({
        title: f.title,
        artist: f.artist,
        album: f.album,
        albumartist: f.artist,
        length: f.duration,
        track: f.track,
        disc: 1,
      })),
      candidates: a.candidates.map((r) => ({
        id: r.id,
        album: r.title,
        artist: r['artist-credit'][0]!.name,
        va: false,
        year: Number(r.date?.slice(0, 4)),
        mediums: r.media.length,
        tracks: r.media.flatMap((m) =>
          m.tracks.map((t) => ({
            id: t.id,
            title: t.title,
            artist: r['artist-credit'][0]!.name,
            length: (t.length ?? 0) / 1000,
            index: t.position,
            medium: m.position,
            medium_index: t.position,
            medium_total: m['track-count'],
          })),
        ),
      })),
    })),
  });

export async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--albums');
  const count = at >= 0 ? Number(args[at + 1]) : 1000;
  console.log(`machine: ${machine()}`);
  const albums = generate(count);
  const pairs = albums.reduce((s, a) => s + a.candidates.length, 0);
  const tracks = albums.reduce((s, a) => s + a.files.length, 0);
  console.log(`${count} albums, ${tracks} files, ${pairs} album–release pairs scored by each matcher`);

  const t0 = performance.now();
  const chosen = albums.map((a) => {
    const facts = { album: a.files[0]!.album, artist: a.files[0]!.artist, various: false };
    const ranked = a.candidates.map((r) => matchRelease(a.files, facts, r)).sort((x, y) => y.score - x.score);
    return ranked[0]!.release.id;
  });
  const sleeveSeconds = (performance.now() - t0) / 1000;
  const sleeveRight = chosen.filter((id, i) => id === albums[i]!.truth).length;

  const out = execFileSync(
    '/usr/bin/python3',
    [new URL('./fixtures/beets-match.py', import.meta.url).pathname],
    {
      input: forBeets(albums),
      maxBuffer: 64 << 20,
    },
  ).toString();
  const beets = JSON.parse(out) as { chosen: string[]; seconds: number };
  const beetsRight = beets.chosen.filter((id, i) => id === albums[i]!.truth).length;

  const pct = (n: number) => `${((100 * n) / count).toFixed(1)} %`;
  console.log(
    `Sleeve (matchRelease, Node): true release chosen for ${sleeveRight}/${count} albums (${pct(sleeveRight)}), matching ${sleeveSeconds.toFixed(2)} s`,
  );
  console.log(
    `beets 1.6 (assign_items + distance, Python): true release chosen for ${beetsRight}/${count} albums (${pct(beetsRight)}), matching ${beets.seconds.toFixed(2)} s`,
  );
  const wrongBy = (ids: readonly string[]) => {
    const kinds = new Map<string, number>();
    ids.forEach((id, i) => {
      if (id === albums[i]!.truth) return;
      const kind = ['remaster', 'deluxe', 'other'].find((k) => mbid(`${k} ${i}`) === id) ?? 'none';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    });
    return [...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  };
  console.log(`wrong picks by decoy — Sleeve: ${wrongBy(chosen)}; beets: ${wrongBy(beets.chosen)}`);
}
