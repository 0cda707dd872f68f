// A release track's credits from MusicBrainz's relationships (app/core/identify/credits.ts), checked against
// what Picard's own tests expect of the same MusicBrainz answers (picard/test/test_mbjson.py, its
// test/data/ws_data recordings placed on a release), with Picard's default options: names as credited, the
// composer's sort name, performers by role ("solo vocals", an instrument's own case), works with their ids
// and languages, ISRCs; then what a hostile answer gives.
import { describe, expect, it } from 'vitest';
import { MAX_CREDITS, releaseCredits } from '../../app/core/identify/credits.ts';
import { mbid, musicBrainzAnswer, release, type TrackSpec } from '../fixtures/musicbrainz-data.ts';

type Node = Record<string, unknown>;
const RELEASE = mbid('release credits');

/** The credits of each track (by title) of a release of `discs`, and the warnings. */
function creditsOf(discs: ReadonlyArray<readonly TrackSpec[]>, relations?: unknown[]) {
  const r = release({
    id: RELEASE,
    title: 'Credits',
    artist: 'Various',
    discs,
    ...(relations ? { relations } : {}),
  });
  const ids = new Set(r.media.flatMap((m) => m.tracks.map((t) => t.id)));
  const { credits, warnings } = releaseCredits(r, ids);
  const byTitle = Object.fromEntries(
    r.media.flatMap((m) => m.tracks.map((t) => [t.title, credits.get(t.id)])),
  );
  return { byTitle, warnings };
}

const one = (node: Node) => creditsOf([[{ title: 'T', length: 200, node }]]);

describe("Picard's test recordings", () => {
  it('a song: its work with id and language, writers through the work, performer roles, ISRC', () => {
    const { byTitle, warnings } = one(musicBrainzAnswer('recording'));
    expect(byTitle.T).toEqual({
      musicbrainz_workid: ['dc469dc8-198e-42e5-b5a7-6be2f0a95ac0'],
      language: ['eng'],
      work: ['Thinking Out Loud'],
      writer: ['Ed Sheeran', 'Amy Wadge'],
      // Picard: performer: (no role), performer:lead vocals, performer:guitar family.
      performer: ['Ed Sheeran', 'Ed Sheeran (lead vocals)', 'Ed Sheeran (guitar family)'],
      isrc: ['GBAHS1400099'],
    });
    expect(warnings).toEqual([]);
  });

  it('a ballet movement: composer as credited with its sort name, conductor, orchestra, the work', () => {
    const { byTitle } = one(musicBrainzAnswer('recording_composer'));
    expect(byTitle.T).toEqual({
      conductor: ['Charles Dutoit'],
      engineer: ['Colin Moorfoot'],
      performer: ['Orchestre symphonique de Montréal (orchestra)'],
      producer: ['Ray Minshull'],
      musicbrainz_workid: ['c8aebb07-fb03-36d3-ade4-3a2692810615'],
      work: ['Swan Lake, op. 20: Act II, no. 13: Danses des cygnes: III. Danses des Cygnes: Tempo di valse'],
      // Credited "Tchaikovsky" (Picard's test_use_credited_as), sorted as the artist is.
      composer: ['Tchaikovsky'],
      composersort: ['Tchaikovsky, Pyotr Ilyich'],
    });
  });

  it('vocal and instrument credits: "solo vocals" not "solo", an artist credited as Frida, EWI in its case', () => {
    const { byTitle } = one(musicBrainzAnswer('recording_credits'));
    expect(byTitle.T).toEqual({
      arranger: ['Benny Andersson', 'Björn Ulvaeus'],
      engineer: ['Michael B. Tretow'],
      producer: ['Benny Andersson', 'Björn Ulvaeus'],
      performer: [
        'Lasse Wellander (electric guitar)',
        'Rutger Gunnarsson (bass)',
        'Ola Brunkert (membranophone)',
        'Frida (solo vocals)',
        'Michael Brecker (EWI)',
      ],
    });
  });

  it('a medley: every work, the lyricists of every work, each language once, an instrumental one "zxx"', () => {
    const { byTitle } = one(musicBrainzAnswer('recording_multiple_works'));
    const medley = byTitle.T!;
    expect(medley.language).toEqual(['jpn', 'eng', 'zxx']);
    expect(medley.lyricist).toEqual(['神前暁', '畑亜貴', '白石みのる']);
    expect(medley.arranger).toEqual(['神前暁']);
    // 31 performances of 30 works (one performed twice, once instrumental): each work once.
    expect(medley.work).toHaveLength(30);
    expect(medley.work!.slice(0, 2)).toEqual(['Gravity', 'かえして! ニーソックス']);
    expect(medley.musicbrainz_workid).toHaveLength(30);
    expect(medley.composer).toEqual([
      '神前暁',
      'nishi-ken',
      '白石みのる',
      '綾原圭二',
      '金井江右',
      '橋本由香利',
      '菊谷知樹',
      '田代智一',
      'ISAO',
      'とものかつみ',
    ]);
  });

  it('an instrumental performance: language "zxx", no lyricist, the composer kept', () => {
    const { byTitle } = one(musicBrainzAnswer('recording_instrumental'));
    expect(byTitle.T).toMatchObject({
      language: ['zxx'],
      composer: ['Bobby Scott'],
      work: ['A Taste of Honey'],
    });
    expect(byTitle.T).not.toHaveProperty('lyricist');
  });

  it('instruments and vocals without attributes; types Picard does not map (animation) kept out quietly', () => {
    const { byTitle, warnings } = one(musicBrainzAnswer('recording_generic_instrument'));
    expect(byTitle.T).toEqual({
      performer: ['SixteenInMono (instruments)', 'Camila (vocals)', 'Michi Mochievee (vocals)'],
      mixer: ['QueenPb'],
      engineer: ['Todd Barriage'],
    });
    expect(warnings).toEqual([]);
  });

  it("the release's own relationships on every track, a DJ-mix credited on medium 2 only there", () => {
    const relations = musicBrainzAnswer('release_djmix').relations as unknown[];
    const { byTitle } = creditsOf(
      [[{ title: 'A', length: 100 }], [{ title: 'B', length: 100, node: musicBrainzAnswer('recording') }]],
      relations,
    );
    // Its producers and remixer on both discs; its art direction and design kept out (Picard maps none).
    const own = { producer: ['Frankmusik', 'David Norland'], remixer: ['Frankmusik'] };
    expect(byTitle.A).toEqual(own);
    expect(byTitle.B).toMatchObject({ ...own, djmixer: ['Frankmusik'], work: ['Thinking Out Loud'] });
  });
});

const artist = (name: string) => ({ id: mbid(`artist ${name}`), name, 'sort-name': name });
const vocal = (name: string, extra: Node = {}) => ({
  type: 'vocal',
  'target-type': 'artist',
  attributes: [],
  artist: artist(name),
  ...extra,
});

describe('hostile answers: bounded, said, nothing else lost', () => {
  it('500 performers: every one kept; past MAX_CREDITS, the rest left out and said once', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => vocal(`Singer ${i}`));
    expect(one({ relations: many(500) }).byTitle.T!.performer).toHaveLength(500);
    const { byTitle, warnings } = one({ relations: many(MAX_CREDITS + 20) });
    expect(byTitle.T!.performer).toHaveLength(MAX_CREDITS);
    expect(warnings).toEqual([
      `MusicBrainz release ${RELEASE}, recording ${mbid('T')}: more than ${MAX_CREDITS} performer credits: the rest left out (20 times)`,
    ]);
  });

  it('a work with 200 parts: its parts are not the recording’s works', () => {
    const parts = Array.from({ length: 200 }, (_, i) => ({
      type: 'parts',
      'target-type': 'work',
      work: { id: mbid(`part ${i}`), title: `Part ${i}` },
    }));
    const work = { id: mbid('whole'), title: 'The Whole', languages: ['deu'], relations: parts };
    const { byTitle, warnings } = one({ relations: [{ type: 'performance', 'target-type': 'work', work }] });
    expect(byTitle.T).toEqual({
      musicbrainz_workid: [mbid('whole')],
      language: ['deu'],
      work: ['The Whole'],
    });
    expect(warnings).toEqual([]);
  });

  it('relationships without an artist or work, or in no documented shape: left out, said with a count', () => {
    const { byTitle, warnings } = one({
      relations: [
        vocal('Kept'),
        { type: 'vocal', 'target-type': 'artist', attributes: [] },
        { type: 'vocal', 'target-type': 'artist', artist: null },
        { type: 'composer', 'target-type': 'artist', artist: { id: 'x' } },
        { type: 'performance', 'target-type': 'work' },
        { type: 'performance', 'target-type': 'work', work: { id: 'not-an-id', title: 'W' } },
        { 'target-type': 'artist', artist: artist('No type') },
        'a string',
      ],
    });
    expect(byTitle.T).toEqual({ performer: ['Kept (vocals)'] });
    const where = `MusicBrainz release ${RELEASE}, recording ${mbid('T')}`;
    expect(warnings).toEqual([
      `${where}: vocal relationships without their artist: left out (2 times)`,
      `${where}: composer relationships with an artist in a shape not documented: left out`,
      `${where}: performance relationships without their work: left out`,
      `${where}: a work whose id is not one ("not-an-id"): left out`,
      `${where}: relationships in a shape not documented: left out (2 times)`,
    ]);
  });

  it('control characters in a credited name become spaces, said; a 10 KB name stays for propose to leave out', () => {
    const long = 'x'.repeat(10_240);
    const { byTitle, warnings } = one({
      relations: [vocal('Ed Sheeran', { 'target-credit': 'Ed\tSheeran\u0000' }), vocal('Kept'), vocal(long)],
    });
    expect(byTitle.T!.performer).toEqual(['Ed Sheeran (vocals)', 'Kept (vocals)', `${long} (vocals)`]);
    expect(warnings).toEqual([
      `MusicBrainz release ${RELEASE}, recording ${mbid('T')}: a credited name holds control characters (U+0009): written with spaces`,
    ]);
  });
});
