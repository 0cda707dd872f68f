// The tagger's tools: case rules (small words, names kept, shouting undone), file-name patterns (missing
// parts, skipped parts, names that do not fit), numbering across discs, and each tool planned on a real
// library database — regex groups, every text field but the ids, swaps that clear, split and join, and
// the errors a user gets for a bad expression, an unknown group or field, or a value a field refuses.
import { afterAll, describe, expect, it } from 'vitest';
import { numberTracks } from '../../app/core/library/tag-tools/numbering.ts';
import { compilePathPattern, valuesFromPath } from '../../app/core/library/tag-tools/path-pattern.ts';
import { planSteps, planTool, type TagTool } from '../../app/core/library/tag-tools/tag-tool.ts';
import { sentenceCase, titleCase } from '../../app/core/library/tag-tools/text-case.ts';
import { toolTracks } from '../../app/core/library/tag-tools/tool-tracks.ts';
import { describeSteps, describeTool } from '../../app/shared/tool-words.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('title and sentence case', () => {
  it('capitalizes words but the small ones inside, which the first and last word and a break override', () => {
    expect(titleCase('the sound of the city')).toBe('The Sound of the City');
    expect(titleCase('a song to sing along to')).toBe('A Song to Sing Along To');
    expect(titleCase('live in paris: the end of a tour')).toBe('Live in Paris: The End of a Tour');
    expect(titleCase('time (out of mind)')).toBe('Time (Out of Mind)');
    expect(titleCase("don't stop me now")).toBe("Don't Stop Me Now");
    expect(titleCase('rock-and-roll ain’t noise pollution')).toBe('Rock-and-Roll Ain’t Noise Pollution');
  });

  it('keeps featuring credits, closing quotes, abbreviations and the pronoun I as a reader expects', () => {
    expect(titleCase('song (feat. mira)')).toBe('Song (feat. Mira)');
    expect(titleCase('"heroes" and villains')).toBe('"Heroes" and Villains');
    expect(titleCase('mr. and mrs. smith')).toBe('Mr. and Mrs. Smith');
    expect(titleCase('ABBA')).toBe('ABBA'); // one word in capitals is a name, not shouting
    expect(sentenceCase("WHEN I WAS YOUNG, I'M TOLD")).toBe("When I was young, I'm told");
  });

  it('keeps names as written in mixed-case text, and undoes shouting', () => {
    expect(titleCase('back in black by AC/DC')).toBe('Back in Black by AC/DC');
    expect(titleCase('my iPhone song with McCartney')).toBe('My iPhone Song with McCartney');
    expect(titleCase('HELLO FROM THE USA')).toBe('Hello from the Usa');
    expect(sentenceCase('HELLO WORLD. GOODBYE MOON')).toBe('Hello world. Goodbye moon');
    // Sentence case cannot know a proper name: only words with inner capitals (BBC) are kept.
    expect(sentenceCase('the Beatles at the BBC')).toBe('The beatles at the BBC');
  });
});

describe('tags from file names', () => {
  const fromName = (pattern: string, path: string) => valuesFromPath(compilePathPattern(pattern), path);

  it('takes each field from its part of the name or of the folders above it', () => {
    expect(fromName('%tracknumber% - %title%', '/music/x/07 - Low Tide.flac')).toEqual({
      tracknumber: '07',
      title: 'Low Tide',
    });
    expect(fromName('%artist%/%album%/%tracknumber%. %title%', '/m/Ada North/Harbour/3. A - B.mp3')).toEqual({
      artist: 'Ada North',
      album: 'Harbour',
      tracknumber: '3',
      title: 'A - B', // the last part of a name takes the rest of it
    });
  });

  it('reads the template syntax too: $field and braced names', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the templates' own ${field} syntax
    expect(fromName('$artist/${album}/$tracknumber. $title', '/m/Ada North/Harbour/3. Low Tide.mp3')).toEqual(
      {
        artist: 'Ada North',
        album: 'Harbour',
        tracknumber: '3',
        title: 'Low Tide',
      },
    );
    expect(() => compilePathPattern('$tracknumber$title')).toThrow(/\$title follows another field/);
  });

  it('leaves out empty and skipped parts, and reports a name that does not fit', () => {
    expect(fromName('%tracknumber% - %title%', '/m/ - Untitled.flac')).toEqual({ title: 'Untitled' });
    expect(fromName('%_% - %title%', '/m/side A - Song.flac')).toEqual({ title: 'Song' });
    expect(fromName('%tracknumber% - %title%', '/m/Low Tide.flac')).toBeNull();
    expect(fromName('%title%', '/m/no extension')).toEqual({ title: 'no extension' });
  });

  it('refuses two fields with nothing between them (a name could split either way)', () => {
    expect(() => compilePathPattern('%tracknumber%%title%')).toThrow(
      /follows another field with nothing between/,
    );
  });

  it('refuses a pattern without fields, with a bad name or a field twice', () => {
    expect(() => compilePathPattern('track - title')).toThrow(/names no field/);
    expect(() => compilePathPattern('%track number!% x')).toThrow(/"%track number!%" at character 1/);
    expect(() => compilePathPattern('%title% - %title%')).toThrow(/%title% appears twice/);
  });
});

describe('numbering by order', () => {
  it('counts per disc (no disc number: disc 1), with each disc’s total', () => {
    expect(numberTracks(['1', '1', '2', undefined, '2'], { perDisc: true, totals: true })).toEqual([
      { tracknumber: '1', totaltracks: '3' },
      { tracknumber: '2', totaltracks: '3' },
      { tracknumber: '1', totaltracks: '2' },
      { tracknumber: '3', totaltracks: '3' },
      { tracknumber: '2', totaltracks: '2' },
    ]);
    expect(
      numberTracks(['1', '2', '2'], { perDisc: false, totals: false }).map((n) => n.tracknumber),
    ).toEqual(['1', '2', '3']);
  });
});

describe('tools planned on a library', () => {
  const { db, ids } = taggedLibrary([
    {
      path: '/music/a/01 - first song.flac',
      tags: {
        title: ['track 1'],
        artist: ['Ada North feat. Mira'],
        discnumber: ['1'],
        musicbrainz_albumid: ['feat-id'],
      },
    },
    {
      path: '/music/a/02 - second song.flac',
      tags: { title: ['  spaced   out '], artist: ['Ada North; The Lanterns'], discnumber: ['2'] },
    },
    { path: '/music/a/bonus.flac', tags: { title: ['Bonus'], album: ['Night Roads'], discnumber: ['2'] } },
  ]);
  afterAll(() => db.close());
  const planned = (tool: TagTool) =>
    planTool(db, toolTracks(db, ids, false), tool).changes.map((c) => [c.fileId - ids[0]!, c.key, c.after]);

  it('finds and replaces plain text in every text field, never in ids', () => {
    expect(planned({ kind: 'replace', find: 'feat.', replace: 'ft.' })).toEqual([
      [0, 'artist', ['Ada North ft. Mira']],
    ]);
    expect(
      planned({ kind: 'replace', find: 'ADA', replace: 'Ada', ignoreCase: true, fields: ['title'] }),
    ).toEqual([]);
    // Plain text is literal: "." is a dot and "$1" is two characters.
    expect(planned({ kind: 'replace', find: 'track 1', replace: '$1 (.)', fields: ['title'] })).toEqual([
      [0, 'title', ['$1 (.)']],
    ]);
  });

  it('replaces with a regular expression and its groups, and says what is wrong with a bad one', () => {
    expect(
      planned({
        kind: 'replace',
        regex: true,
        find: '^(.*) feat\\. (.*)$',
        replace: '$2 & $1',
        fields: ['artist'],
      }),
    ).toEqual([[0, 'artist', ['Mira & Ada North']]]);
    expect(() =>
      planTool(db, toolTracks(db, ids, false), { kind: 'replace', regex: true, find: '(a', replace: '' }),
    ).toThrow(/the regular expression "\(a" is not valid: .*missing closing \)/);
    expect(() =>
      planTool(db, toolTracks(db, ids, false), { kind: 'replace', regex: true, find: '(a)', replace: '$2' }),
    ).toThrow('the replacement names group $2; the expression has 1');
    expect(() =>
      planTool(db, toolTracks(db, ids, false), {
        kind: 'replace',
        find: 'x',
        replace: 'y',
        fields: ['nosuchfield'],
      }),
    ).toThrow(/unknown field "nosuchfield"/);
  });

  it('trims, converts case, copies and swaps (a swap with an empty field clears it)', () => {
    expect(planned({ kind: 'trim', fields: ['title'] })).toEqual([[1, 'title', ['spaced out']]]);
    expect(planned({ kind: 'case', mode: 'upper', fields: ['album'] })).toEqual([
      [2, 'album', ['NIGHT ROADS']],
    ]);
    expect(planned({ kind: 'copy', from: 'title', to: 'album' }).map(([f, k]) => [f, k])).toEqual([
      [0, 'album'],
      [1, 'album'],
      [2, 'album'],
    ]);
    expect(planned({ kind: 'swap', a: 'title', b: 'album' })).toEqual([
      [0, 'album', ['track 1']],
      [0, 'title', []],
      [1, 'album', ['  spaced   out ']],
      [1, 'title', []],
      [2, 'title', ['Night Roads']],
      [2, 'album', ['Bonus']],
    ]);
  });

  it('clears a value replaced by nothing, and keeps line breaks when trimming', () => {
    const {
      db: lib,
      ids: [id],
    } = taggedLibrary([
      { path: '/music/x.flac', tags: { artist: ['Ada', 'feat. Mira'], lyrics: ['line one  \nline   two'] } },
    ]);
    const run = (tool: TagTool) =>
      planTool(lib, toolTracks(lib, [id!], false), tool).changes.map((c) => [c.key, c.after]);
    expect(run({ kind: 'replace', find: 'feat. Mira', replace: '', fields: ['artist'] })).toEqual([
      ['artist', ['Ada']],
    ]);
    expect(run({ kind: 'trim', fields: ['lyrics'] })).toEqual([['lyrics', ['line one\nline two']]]);
    // Without fields named, lyrics and comments (and codes) are left alone.
    expect(run({ kind: 'case', mode: 'upper' })).toEqual([['artist', ['ADA', 'FEAT. MIRA']]]);
    lib.close();
  });

  it('reads tags only from the path inside the library folder', () => {
    const plan = planTool(db, toolTracks(db, ids, false), {
      kind: 'from-path',
      pattern: '%artist%/%album%/%title%',
    });
    expect(plan.changes).toEqual([]); // /music/a/… has one folder inside the library: "music" is not an artist
    expect(plan.skipped).toHaveLength(3);
  });

  it('splits and joins values', () => {
    expect(planned({ kind: 'split', field: 'artist', separator: ';' })).toEqual([
      [1, 'artist', ['Ada North', 'The Lanterns']],
    ]);
    expect(() =>
      planTool(db, toolTracks(db, ids, false), { kind: 'join', field: 'artist', separator: '' }),
    ).toThrow('join needs a separator');
  });

  it('takes tags from file names, skipping names that do not fit and values a field refuses', () => {
    const plan = planTool(db, toolTracks(db, ids, false), {
      kind: 'from-path',
      pattern: '%tracknumber% - %title%',
    });
    expect(plan.changes.map((c) => [c.fileId - ids[0]!, c.key, c.after])).toEqual([
      [0, 'tracknumber', ['1']], // "01" is track 1
      [0, 'title', ['first song']],
      [1, 'tracknumber', ['2']],
      [1, 'title', ['second song']],
    ]);
    expect(plan.skipped).toEqual([
      { fileId: ids[2], reason: 'the name does not fit the pattern %tracknumber% - %title%' },
    ]);
    // A track number that reads as none is kept as text (as a vinyl rip's "A1"); a date that is none is refused.
    const tracks = toolTracks(db, ids, false);
    const text = planTool(db, tracks, { kind: 'from-path', pattern: '%title% - %tracknumber%' });
    expect(text.changes).toContainEqual(
      expect.objectContaining({ key: 'tracknumber', after: ['first song'] }),
    );
    const refused = planTool(db, tracks, { kind: 'from-path', pattern: '%date% - %title%' });
    expect(refused.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/^date must be/));
  });

  it('numbers by the order given, per disc', () => {
    expect(planned({ kind: 'number', perDisc: true, totals: true })).toEqual([
      [0, 'tracknumber', ['1']],
      [0, 'totaltracks', ['1']],
      [1, 'tracknumber', ['1']],
      [1, 'totaltracks', ['2']],
      [2, 'tracknumber', ['2']],
      [2, 'totaltracks', ['2']],
    ]);
  });

  it('numbers recordings: copies of one share its number, and the totals count recordings', () => {
    // The first and last track are one recording (copies), listed apart: both take its number.
    const copies = { ids: [ids[0]!, ids[2]!, ids[1]!], recordings: [0, 1, 0] };
    const plan = planTool(db, copies, { kind: 'number', perDisc: false, totals: true });
    expect(plan.changes.map((c) => [c.fileId - ids[0]!, c.key, c.after])).toEqual([
      [0, 'tracknumber', ['1']],
      [0, 'totaltracks', ['2']],
      [2, 'tracknumber', ['2']],
      [2, 'totaltracks', ['2']],
      [1, 'tracknumber', ['1']],
      [1, 'totaltracks', ['2']],
    ]);
  });

  it('runs steps one after the other: each works on what the steps before it left', () => {
    const tracks = toolTracks(db, ids, false);
    const plan = planSteps(db, tracks, [
      { kind: 'from-path', pattern: '%tracknumber% - %title%' },
      { kind: 'case', mode: 'title', fields: ['title'] },
      { kind: 'number', perDisc: false, totals: false },
    ]);
    expect(plan.changes.map((c) => [c.fileId - ids[0]!, c.key, c.after])).toEqual([
      [0, 'tracknumber', ['1']],
      [0, 'title', ['First Song']], // read from the name by step 1, cased by step 2
      [1, 'tracknumber', ['2']],
      [1, 'title', ['Second Song']],
      [2, 'tracknumber', ['3']], // step 1 could not read its name; steps 2 and 3 still ran
    ]);
    // Step 1 could not serve it, the others changed it: partly changed, not left as it is.
    expect(plan.skipped).toEqual([]);
    expect(plan.partly).toEqual([
      { fileId: ids[2], reason: 'step 1: the name does not fit the pattern %tracknumber% - %title%' },
    ]);
    // Left as it is when no step changed it, with every step's reason once.
    const refused = planSteps(db, tracks, [
      { kind: 'from-path', pattern: '%tracknumber% - %title%' },
      { kind: 'from-path', pattern: '%title% (%tracknumber%)' },
    ]);
    expect(refused.skipped.find((s) => s.fileId === ids[2])?.reason).toBe(
      'step 1: the name does not fit the pattern %tracknumber% - %title%; step 2: the name does not fit the pattern %title% (%tracknumber%)',
    );
    // A value a step makes and a later one takes back is no change at all.
    const undone = planSteps(db, tracks, [
      { kind: 'case', mode: 'upper', fields: ['title'] },
      { kind: 'replace', find: 'BONUS', replace: 'Bonus', fields: ['title'] },
    ]);
    expect(undone.changes.filter((c) => c.fileId === ids[2])).toEqual([]);
  });

  it('describes each edit in words for the history', () => {
    expect(describeTool({ kind: 'replace', find: 'feat.', replace: 'ft.', fields: ['artist'] })).toBe(
      'Replace "feat." with "ft." in artist',
    );
    expect(describeTool({ kind: 'number', perDisc: true, totals: false })).toBe('Number the tracks per disc');
    expect(describeSteps([{ kind: 'trim' }, { kind: 'case', mode: 'upper', fields: ['title'] }])).toBe(
      'Trim spaces in every text field, then Upper case for title',
    );
    expect(describeSteps([{ kind: 'trim' }], 'tidy')).toBe('The action "tidy" (1 step)');
  });
});
