// ID3's people lists as Picard writes and reads them (issue 67): TMCL pairs each performer's role with their
// name, TIPL each producer's, arranger's, engineer's and mixer's; ID3v2.3's IPLS (v2.2's IPL) holds both.
// Read, a TIPL role the field table names is its field and any other pair a performer credit "Name (role)";
// served, the credits are one TMCL and one TIPL frame that read back as they were.
import { describe, expect, it } from 'vitest';
import { buildId3Header } from '../../app/core/served/id3v2-writer.ts';
import { parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { normalizeTags, type TagList } from '../../app/core/tags/normalize.ts';
import { splitPerformer } from '../../app/core/tags/performer-credit.ts';
import { type Encoding, id3Tag, textData } from '../fixtures/id3-tag.ts';

/** What a tag holding `frames` (id and its text list) reads as. */
function read(version: 2 | 3 | 4, frames: ReadonlyArray<[id: string, ...list: string[]]>, enc: Encoding = 3) {
  const tag = id3Tag({
    version,
    frames: frames.map(([id, ...list]) => ({ id, data: textData(enc, ...list) })),
  });
  const parsed = parseId3v2(tag, true);
  return Object.fromEntries(normalizeTags({ [parsed.type]: parsed.tags }));
}

describe('reading', () => {
  it('TMCL: each pair a performer credit, "performer" and no role meaning none (Picard)', () => {
    expect(
      read(4, [
        [
          'TMCL',
          ...['lead vocals', 'Ed Sheeran', 'EWI', 'Michael Brecker', 'performer', 'Plain', '', 'Blank'],
          ...['producer', 'Also a performer'],
        ],
      ]),
    ).toEqual({
      performer: [
        'Ed Sheeran (lead vocals)',
        'Michael Brecker (EWI)',
        'Plain',
        'Blank',
        'Also a performer (producer)',
      ],
    });
  });

  it("TIPL: Picard's roles as their fields, TagLib's upper-cased ones too, any other role a performer's", () => {
    expect(
      read(4, [
        ['TIPL', 'producer', 'P', 'arranger', 'A', 'engineer', 'E', 'mix', 'M', 'DJ-mix', 'D'],
        ['TPE1', 'Artist'],
      ]),
    ).toEqual({
      producer: ['P'],
      arranger: ['A'],
      engineer: ['E'],
      mixer: ['M'],
      djmixer: ['D'],
      artist: ['Artist'],
    });
    expect(read(4, [['TIPL', 'PRODUCER', 'P', 'DJ-MIX', 'D', 'chorus master', 'C']])).toEqual({
      producer: ['P'],
      djmixer: ['D'],
      performer: ['C (chorus master)'],
    });
  });

  it("ID3v2.3's IPLS (mutagen's update_to_v23: TMCL and TIPL in one list, UTF-16) and v2.2's IPL", () => {
    const pairs = ['producer', 'P', 'guitar', 'G', 'mix', 'M'];
    const expected = { producer: ['P'], performer: ['G (guitar)'], mixer: ['M'] };
    expect(read(3, [['IPLS', ...pairs]], 1)).toEqual(expected);
    expect(read(2, [['IPL', ...pairs]], 0)).toEqual(expected);
  });

  it('a role left without a name names no one', () => {
    expect(read(4, [['TMCL', 'piano', 'P', 'violin']])).toEqual({ performer: ['P (piano)'] });
  });

  it("music-metadata's shape ({role: [names]}, its general parser's) reads the same", () => {
    const tags = normalizeTags({
      'ID3v2.3': [{ id: 'IPLS', value: { producer: ['P'], piano: ['A', 'B'] } }],
    });
    expect(Object.fromEntries(tags)).toEqual({ producer: ['P'], performer: ['A (piano)', 'B (piano)'] });
  });
});

describe('serving', () => {
  const served = (tags: TagList) =>
    parseId3v2(buildId3Header({ tags, pictures: [], audioBytes: 0 }, []), true);

  it('one TMCL and one TIPL, the pairs in the tags’ order, read back as they were', () => {
    const tags: TagList = [
      ['performer', ['Ed Sheeran (lead vocals)', 'Ed Sheeran', 'Orchestra X (orchestra)']],
      ['producer', ['P1', 'P2']],
      ['title', ['T']],
      ['djmixer', ['D']],
      ['engineer', ['E']],
    ];
    const id3 = served(tags);
    expect(id3.tags.filter((t) => t.id === 'TMCL').map((t) => t.value)).toEqual([
      { role: 'lead vocals', name: 'Ed Sheeran' },
      // TagLib drops a TMCL holding an empty role: Picard reads this one as none.
      { role: 'performer', name: 'Ed Sheeran' },
      { role: 'orchestra', name: 'Orchestra X' },
    ]);
    expect(id3.tags.filter((t) => t.id === 'TIPL').map((t) => t.value)).toEqual([
      { role: 'producer', name: 'P1' },
      { role: 'producer', name: 'P2' },
      { role: 'DJ-mix', name: 'D' },
      { role: 'engineer', name: 'E' },
    ]);
    const back = Object.fromEntries(normalizeTags({ [id3.type]: id3.tags }));
    expect(back).toEqual(Object.fromEntries(tags));
  });

  it('no people list when there is no credit; a key TMCL is not a second list', () => {
    expect(served([['title', ['T']]]).tags.map((t) => t.id)).toEqual(['TIT2']);
    const ids = served([
      ['TMCL', ['kept as text']],
      ['performer', ['P (piano)']],
    ]).tags.map((t) => t.id);
    expect(ids).toEqual(['TXXX:TMCL', 'TMCL']);
  });
});

describe('splitPerformer: the role in the parentheses that close a credit, as Picard reads PERFORMER', () => {
  it.each([
    ['Joe Barr (Piano)', 'Joe Barr', 'Piano'],
    ['Joe Barr', 'Joe Barr', ''],
    ['Name (guitar (12-string))', 'Name', 'guitar (12-string)'],
    ['The (Band) Name', 'The (Band) Name', ''],
    ['(solo)', '(solo)', ''],
    ['Name (unclosed', 'Name (unclosed', ''],
    ['Name broken)', 'Name broken)', ''],
  ])('%s', (credit, name, role) => {
    expect(splitPerformer(credit)).toEqual({ name, role });
  });
});
