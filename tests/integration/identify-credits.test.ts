// Credits and works as Picard writes them (issue 67), end to end: an album of five files (FLAC, MP3, M4A,
// Ogg Vorbis and a WAV on a second disc) identified against a local MusicBrainz stand-in whose release
// holds real recordings as MusicBrainz answered Picard's tests (a Tchaikovsky ballet movement with its
// conductor and orchestra, ABBA with "Frida" on solo vocals, a medley of 30 works, a song with its writers,
// ISRC and vocal and guitar credits) and the release's own relationships (a DJ-mix on disc 2) — the
// stand-in giving relationships only as the request's inc asks, as MusicBrainz does — and a recording of
// 500 performers with hostile names. Identify asks once, proposes the credits as diffs, applies them; the
// mount serves them as each format's players read them (mutagen, TagLib through kid3-cli), and a tagger's
// save through the mount (mutagen's ID3v2.3, kid3's M4A) keeps them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mbid, musicBrainzAnswer, release } from '../fixtures/musicbrainz-data.ts';
import { type MusicBrainzFixture, startMusicBrainzFixture } from '../fixtures/musicbrainz-server.ts';
import { hashTree, sleeveHere, sleeveHereAsync, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { type FileInfo, findServed, PY, unmountChecked, waitFor } from '../mount-helpers.ts';

const RELEASE = mbid('release swan songs');
const LONG_NAME = 'L'.repeat(10_240);

/** A recording of 500 performers, one credited under a 10 KB name, one with control characters, and
 *  relationships without their artist. */
const crowd = {
  id: mbid('recording crowd'),
  relations: [
    ...Array.from({ length: 497 }, (_, i) => ({
      type: 'vocal',
      'target-type': 'artist',
      attributes: ['choir vocals'],
      artist: { id: mbid(`singer ${i}`), name: `Singer ${i}`, 'sort-name': `Singer ${i}` },
    })),
    {
      type: 'instrument',
      'target-type': 'artist',
      attributes: ['piano'],
      'target-credit': LONG_NAME,
      artist: { id: mbid('long'), name: 'Long', 'sort-name': 'Long' },
    },
    {
      type: 'conductor',
      'target-type': 'artist',
      'target-credit': 'Con\nductor',
      artist: { id: mbid('conductor'), name: 'Conductor', 'sort-name': 'Conductor' },
    },
    { type: 'vocal', 'target-type': 'artist', attributes: [] },
    { type: 'vocal', 'target-type': 'artist', attributes: [], artist: null },
  ],
};

/** The files: name, format arguments to ffmpeg, seconds, disc, and the recording on that track. */
const FILES = [
  { name: '01.flac', codec: ['-c:a', 'flac'], seconds: 12, disc: 1, node: 'recording_composer' },
  {
    name: '02.mp3',
    codec: ['-c:a', 'libmp3lame', '-b:a', '64k'],
    seconds: 14,
    disc: 1,
    node: 'recording_credits',
  },
  {
    name: '03.m4a',
    codec: ['-c:a', 'aac', '-b:a', '64k'],
    seconds: 16,
    disc: 1,
    node: 'recording_multiple_works',
  },
  { name: '04.ogg', codec: ['-c:a', 'libvorbis', '-q:a', '0'], seconds: 18, disc: 1, node: 'recording' },
  { name: '05.wav', codec: [], seconds: 20, disc: 2, node: 'crowd' },
] as const;
const TITLES = ['Danses des cygnes', 'Knowing Me, Knowing You', 'Medley', 'Thinking Out Loud', 'Crowd'];

interface Proposal {
  path: string;
  reasons: string[];
  changes: Array<{ key: string; before: string[]; after: string[] }>;
  kept?: Record<string, string[]>;
}

/** What mutagen reads of a file: each tag's text values (ID3's people lists as role/name pairs). */
const MUTAGEN_READ = `
import json, sys, mutagen
f = mutagen.File(sys.argv[1])
out = {}
for k, v in f.tags.items():
    if hasattr(v, 'people'): out[k] = [list(p) for p in v.people]
    elif hasattr(v, 'text'): out[k] = [str(x) for x in v.text]
    elif isinstance(v, list): out[k] = [x.decode() if isinstance(x, bytes) else str(x) for x in v]
    else: out[k] = [str(v)]
print(json.dumps(out))
`;
const mutagenRead = (path: string): Record<string, unknown[]> =>
  JSON.parse(execFileSync(PY, ['-c', MUTAGEN_READ, path]).toString());
/** mutagen's keys in any case (Vorbis comments are lower-cased by mutagen's dict view). */
const byLower = (tags: Record<string, unknown[]>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
/** One of kid3-cli's (TagLib's) fields. */
const kid3 = (path: string, field: string) =>
  tool('kid3-cli', ['-c', `get ${field}`, path])
    .toString()
    .trim();

describe('identify: credits and works from MusicBrainz relationships, served and kept', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const album = join(music, 'swan songs');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let mb: MusicBrainzFixture;
  let originals: Map<string, string>;
  let proposals: Proposal[];
  let stderr: string;
  const byFile = (name: string) =>
    Object.fromEntries(proposals.find((p) => p.path.endsWith(name))!.changes.map((c) => [c.key, c.after]));
  const fields = (name: string) => {
    const id = sleeveHere(home, ['ls', `path:${name}`, '-f', '$id']).stdout.trim();
    const info = sleeveHereJson<FileInfo>(home, ['info', id, '--json']);
    return Object.fromEntries(info.fields.map((f) => [f.key, f.effective]));
  };

  beforeAll(async () => {
    mkdirSync(album, { recursive: true });
    mkdirSync(mnt);
    for (const [i, f] of FILES.entries())
      tool('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${300 + 50 * i}:duration=${f.seconds}`],
        ...f.codec,
        ...['-metadata', `title=${TITLES[i]}`, '-metadata', 'album=Swan Songs'],
        ...['-metadata', `track=${f.disc === 1 ? i + 1 : 1}`, '-metadata', `disc=${f.disc}`],
        join(album, f.name),
      ]);
    originals = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const track = (i: number) => ({
      title: TITLES[i]!,
      length: FILES[i]!.seconds,
      node: FILES[i]!.node === 'crowd' ? crowd : musicBrainzAnswer(FILES[i]!.node),
    });
    mb = await startMusicBrainzFixture([
      release({
        id: RELEASE,
        title: 'Swan Songs',
        artist: 'Various Performers',
        discs: [[0, 1, 2, 3].map(track), [track(4)]],
        relations: musicBrainzAnswer('release_djmix').relations as unknown[],
      }),
    ]);
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({
        identify: { musicbrainz: { enabled: true, url: mb.url, contact: 'tests@sleeve.invalid' } },
      }),
    );
    const r = await sleeveHereAsync(home, ['identify', 'path:swan', '--json', '--release', RELEASE]);
    expect(r.status, r.stderr).toBe(0);
    proposals = (JSON.parse(r.stdout) as { proposals: Proposal[] }).proposals;
    stderr = r.stderr;
  }, 120_000);

  afterAll(async () => {
    unmountChecked(home, mnt, music, originals); // unmounted, and no original written
    await mb?.close();
  });

  it('asks MusicBrainz once for the release with every relationship level and the ISRCs', () => {
    // A search by the album tag (the files name no release), then the release: nothing per recording.
    const answered = mb.requests.filter((r) => !r.refused).map((r) => new URL(r.path, 'http://x'));
    expect(answered.map((u) => u.pathname)).toEqual(['/ws/2/release', `/ws/2/release/${RELEASE}`]);
    const inc = answered[1]!.searchParams.get('inc')!.split(' ');
    expect(inc).toEqual(
      expect.arrayContaining([
        'recording-level-rels',
        'work-rels',
        'work-level-rels',
        'artist-rels',
        'isrcs',
      ]),
    );
  });

  it('proposes the credits Picard writes, as diffs', () => {
    expect(proposals.map((p) => p.path.split('/').pop())).toEqual(FILES.map((f) => f.name));
    expect(byFile('01.flac')).toMatchObject({
      composer: ['Tchaikovsky'],
      composersort: ['Tchaikovsky, Pyotr Ilyich'],
      conductor: ['Charles Dutoit'],
      performer: ['Orchestre symphonique de Montréal (orchestra)'],
      work: ['Swan Lake, op. 20: Act II, no. 13: Danses des cygnes: III. Danses des Cygnes: Tempo di valse'],
      musicbrainz_workid: ['c8aebb07-fb03-36d3-ade4-3a2692810615'],
      // The release's own producers and remixer, on every track.
      producer: ['Frankmusik', 'David Norland', 'Ray Minshull'],
    });
    expect(byFile('02.mp3').performer).toEqual([
      'Lasse Wellander (electric guitar)',
      'Rutger Gunnarsson (bass)',
      'Ola Brunkert (membranophone)',
      'Frida (solo vocals)',
      'Michael Brecker (EWI)',
    ]);
    expect(byFile('03.m4a')).toMatchObject({
      lyricist: ['神前暁', '畑亜貴', '白石みのる'],
      language: ['jpn', 'eng', 'zxx'],
    });
    expect(byFile('04.ogg')).toMatchObject({
      writer: ['Ed Sheeran', 'Amy Wadge'],
      isrc: ['GBAHS1400099'],
      language: ['eng'],
      performer: ['Ed Sheeran', 'Ed Sheeran (lead vocals)', 'Ed Sheeran (guitar family)'],
    });
    expect(byFile('01.flac').djmixer).toBeUndefined();
  });

  it('hostile credits: bounded, each problem said, the rest kept', () => {
    const crowdFields = byFile('05.wav');
    expect(crowdFields.performer).toHaveLength(497); // the 10 KB one left out, the rest kept
    expect(crowdFields.conductor).toEqual(['Con ductor']);
    expect(crowdFields.djmixer).toEqual(['Frankmusik']); // disc 2's DJ-mix
    const reasons = proposals.find((p) => p.path.endsWith('05.wav'))!.reasons;
    expect(reasons).toContain(
      `left out performer: a value of ${LONG_NAME.length + ' (piano)'.length} characters`,
    );
    const where = `MusicBrainz release ${RELEASE}, recording ${crowd.id}`;
    expect(stderr).toContain(
      `${where}: a credited name holds control characters (U+000A): written with spaces`,
    );
    expect(stderr).toContain(`${where}: vocal relationships without their artist: left out (2 times)`);
  });

  it('applied, the mount serves them as each format’s players read them', async () => {
    const asked = mb.requests.length;
    const r = await sleeveHereAsync(home, [
      'identify',
      'path:swan',
      '--release',
      RELEASE,
      '--apply',
      '--yes-all',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(mb.requests).toHaveLength(asked); // answered from the first run
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
    const served = (name: string) => waitFor(`${name} served`, () => findServed(mnt, name) || undefined);

    // FLAC and Ogg: Vorbis comments, PERFORMER=Name (role).
    const flac = byLower(mutagenRead(await served(`${TITLES[0]}.flac`)));
    expect(flac).toMatchObject({
      composer: ['Tchaikovsky'],
      composersort: ['Tchaikovsky, Pyotr Ilyich'],
      conductor: ['Charles Dutoit'],
      performer: ['Orchestre symphonique de Montréal (orchestra)'],
      musicbrainz_workid: ['c8aebb07-fb03-36d3-ade4-3a2692810615'],
    });
    const ogg = byLower(mutagenRead(await served(`${TITLES[3]}.ogg`)));
    expect(ogg).toMatchObject({
      writer: ['Ed Sheeran', 'Amy Wadge'],
      isrc: ['GBAHS1400099'],
      language: ['eng'],
    });
    expect(ogg.performer).toEqual(['Ed Sheeran', 'Ed Sheeran (lead vocals)', 'Ed Sheeran (guitar family)']);

    // MP3: TCOM, TMCL and TIPL as Picard writes them.
    const mp3Path = await served(`${TITLES[1]}.mp3`);
    const mp3 = mutagenRead(mp3Path);
    expect(mp3.TMCL).toEqual([
      ['electric guitar', 'Lasse Wellander'],
      ['bass', 'Rutger Gunnarsson'],
      ['membranophone', 'Ola Brunkert'],
      ['solo vocals', 'Frida'],
      ['EWI', 'Michael Brecker'],
    ]);
    expect((mp3.TIPL as string[][]).filter(([role]) => role === 'producer')).toEqual([
      ['producer', 'Frankmusik'],
      ['producer', 'David Norland'],
      ['producer', 'Benny Andersson'],
      ['producer', 'Björn Ulvaeus'],
    ]);
    expect(mp3.TIPL).toEqual(
      expect.arrayContaining([
        ['arranger', 'Benny Andersson'],
        ['arranger', 'Björn Ulvaeus'],
        ['engineer', 'Michael B. Tretow'],
      ]),
    );
    expect(mp3.TIPL).toHaveLength(7);
    expect(mp3.TPE4).toEqual(['Frankmusik']);

    // M4A: ©wrt, the freeform atoms iTunes and Picard use.
    const m4a = mutagenRead(await served(`${TITLES[2]}.m4a`));
    expect(m4a['©wrt']).toContain('nishi-ken');
    expect(m4a['----:com.apple.iTunes:LYRICIST']).toEqual(['神前暁', '畑亜貴', '白石みのる']);
    expect(m4a['----:com.apple.iTunes:LANGUAGE']).toEqual(['jpn', 'eng', 'zxx']);
    expect(m4a['©wrk']).toHaveLength(30);

    // WAV: its ID3 chunk, as the MP3's.
    const wav = mutagenRead(await served(`${TITLES[4]}.wav`));
    expect(wav.TMCL).toHaveLength(497);
    expect(wav.TPE3).toEqual(['Con ductor']);

    // TagLib (kid3-cli) reads the same.
    expect(kid3(await served(`${TITLES[0]}.flac`), 'composer')).toBe('Tchaikovsky');
    expect(kid3(mp3Path, 'performer')).toContain('solo vocals|Frida');
    expect(kid3(await served(`${TITLES[2]}.m4a`), 'composer')).toContain('nishi-ken');
    // kid3-cli gives one value of several: the second is performer[1].
    expect(kid3(await served(`${TITLES[3]}.ogg`), 'performer[1]')).toBe('Ed Sheeran (lead vocals)');
  });

  it('a tagger’s save through the mount keeps them: mutagen’s ID3v2.3 (IPLS), kid3’s M4A', async () => {
    const mp3 = findServed(mnt, `${TITLES[1]}.mp3`);
    execFileSync(PY, [
      '-c',
      `import sys
from mutagen.id3 import ID3, TIT2
t = ID3(sys.argv[1]); t.add(TIT2(encoding=1, text='Knowing Me (v2.3)')); t.update_to_v23(); t.save(sys.argv[1], v2_version=3)`,
      mp3,
    ]);
    const saved = await waitFor('the v2.3 save in the library', () => {
      const f = fields('02.mp3');
      return f.title?.[0] === 'Knowing Me (v2.3)' ? f : undefined;
    });
    expect(saved).toMatchObject({
      performer: byFile('02.mp3').performer,
      producer: ['Frankmusik', 'David Norland', 'Benny Andersson', 'Björn Ulvaeus'],
      arranger: ['Benny Andersson', 'Björn Ulvaeus'],
      engineer: ['Michael B. Tretow'],
      remixer: ['Frankmusik'],
    });

    tool('kid3-cli', ['-c', 'set title "Medley (TagLib)"', findServed(mnt, `${TITLES[2]}.m4a`)]);
    const m4a = await waitFor('the M4A save in the library', () => {
      const f = fields('03.m4a');
      return f.title?.[0] === 'Medley (TagLib)' ? f : undefined;
    });
    for (const key of ['composer', 'lyricist', 'language', 'work', 'musicbrainz_workid', 'arranger'])
      expect(m4a[key], key).toEqual(byFile('03.m4a')[key]);
  });
  it('applying never removes a credit the user entered unless asked (--replace-credits)', async () => {
    // The user credits a kazoo on the song, and puts their own orchestra in place of the ballet's.
    const song = [...fields('04.ogg').performer!, 'Me (kazoo)'];
    expect(sleeveHere(home, ['set', 'path:04.ogg', ...song.map((p) => `performer=${p}`), '-y']).status).toBe(
      0,
    );
    const ballet = 'Hand Orchestra (orchestra)';
    expect(sleeveHere(home, ['set', 'path:01.flac', `performer=${ballet}`, '-y']).status).toBe(0);
    const identify = async (...args: string[]) => {
      const r = await sleeveHereAsync(home, ['identify', 'path:swan', '--release', RELEASE, ...args]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const { proposals: again } = JSON.parse(await identify('--json')) as { proposals: Proposal[] };
    const of = (name: string) => again.find((p) => p.path.endsWith(name))!;
    // The diff shows what applying does: the source's orchestra added, the user's kept; the song as it is.
    expect(of('01.flac').changes.find((c) => c.key === 'performer')).toEqual({
      key: 'performer',
      fileId: expect.any(Number),
      before: [ballet],
      after: ['Orchestre symphonique de Montréal (orchestra)', ballet],
    });
    expect(of('01.flac').kept).toEqual({ performer: [ballet] });
    expect(of('04.ogg').kept).toEqual({ performer: ['Me (kazoo)'] });
    expect(of('04.ogg').reasons).toContain(
      'keeps 1 value(s) entered in Sleeve that the source lacks (performer)',
    );
    expect(await identify()).toContain(
      `performer: ${song.map((p) => JSON.stringify(p)).join(', ')} → as it is`,
    );

    await identify('--apply', '--yes-all');
    expect(fields('01.flac').performer).toEqual(['Orchestre symphonique de Montréal (orchestra)', ballet]);
    expect(fields('04.ogg').performer).toEqual(song);

    await identify('--apply', '--replace-credits', '--yes-all');
    expect(fields('01.flac').performer).toEqual(['Orchestre symphonique de Montréal (orchestra)']);
    expect(fields('04.ogg').performer).toEqual(song.slice(0, -1));
  });
});
