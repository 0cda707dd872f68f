// Every format's usual keys (app/core/tags/tag-names.ts): for each format, the keys real taggers write —
// Picard, foobar2000, Mp3tag, ffmpeg, iTunes — and the field each must read as; and the mount's writers
// serving a field read under any of them back under the one name Picard writes, once.
import type { ICommonTagsResult } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { readApeTag } from '../../app/core/media/apev2-reader.ts';
import { bufferWindow } from '../../app/core/media/file-window.ts';
import { findIlst } from '../../app/core/media/mp4-boxes.ts';
import { readIlst } from '../../app/core/media/mp4-ilst.ts';
import { buildApeTag } from '../../app/core/served/apev2-writer.ts';
import { buildId3Header } from '../../app/core/served/id3v2-writer.ts';
import { buildMp4Moov } from '../../app/core/served/mp4-header.ts';
import { vorbisFields } from '../../app/core/served/vorbis-comment-writer.ts';
import { parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { normalizeTags, type TagList } from '../../app/core/tags/normalize.ts';

const common = {
  track: { no: null, of: null },
  disk: { no: null, of: null },
  movementIndex: { no: null, of: null },
} as unknown as ICommonTagsResult;

/** What one native tag of `type` reads as. */
const read = (type: string, id: string, value: string) =>
  Object.fromEntries(normalizeTags({ [type]: [{ id, value }] }, common));

/** [who writes it, the key as written, the value, what the library reads]. */
type Row = readonly [writer: string, key: string, value: string, reads: Record<string, string[]>];

const albumArtist = { albumartist: ['AA'] };
const disc = { discnumber: ['1'], totaldiscs: ['2'] };

const APEV2: readonly Row[] = [
  ['Picard, foobar2000', 'Album Artist', 'AA', albumArtist],
  ['Mp3tag', 'ALBUM ARTIST', 'AA', albumArtist],
  ['some taggers', 'ALBUMARTIST', 'AA', albumArtist],
  ['ffmpeg', 'album_artist', 'AA', albumArtist],
  ['Picard, foobar2000, Mp3tag', 'Disc', '1/2', disc],
  ['ffmpeg', 'disc', '1/2', disc],
  ['Picard, foobar2000, Mp3tag', 'Track', '3/12', { tracknumber: ['3'], totaltracks: ['12'] }],
  ['ffmpeg', 'track', '3/12', { tracknumber: ['3'], totaltracks: ['12'] }],
  ['foobar2000', 'TOTALTRACKS', '12', { totaltracks: ['12'] }],
  ['ffmpeg (from FLAC), Mp3tag', 'TRACKTOTAL', '12', { totaltracks: ['12'] }],
  ['foobar2000', 'TOTALDISCS', '2', { totaldiscs: ['2'] }],
  ['ffmpeg (from FLAC), Mp3tag', 'DISCTOTAL', '2', { totaldiscs: ['2'] }],
  ['Picard, foobar2000, Mp3tag', 'Year', '2004', { date: ['2004'] }],
  ['ffmpeg', 'date', '2004', { date: ['2004'] }],
  ['Picard, Mp3tag', 'ALBUMARTISTSORT', 'S', { albumartistsort: ['S'] }],
  ['Picard', 'Albumartistsort', 'S', { albumartistsort: ['S'] }],
  ['Mp3tag', 'ARTISTSORT', 'S', { artistsort: ['S'] }],
  ['Mp3tag', 'ALBUMSORT', 'S', { albumsort: ['S'] }],
  ['Mp3tag', 'TITLESORT', 'S', { titlesort: ['S'] }],
  ['Mp3tag', 'COMPOSERSORT', 'S', { composersort: ['S'] }],
  ['ffmpeg (from MP3)', 'album-sort', 'S', { albumsort: ['S'] }],
  ['ffmpeg (from MP3)', 'artist-sort', 'S', { artistsort: ['S'] }],
  ['ffmpeg (from MP3)', 'title-sort', 'S', { titlesort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_album_artist', 'S', { albumartistsort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_album', 'S', { albumsort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_artist', 'S', { artistsort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_name', 'S', { titlesort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_composer', 'S', { composersort: ['S'] }],
  ['ffmpeg', 'publisher', 'L', { label: ['L'] }],
  ['ffmpeg', 'encoded_by', 'E', { encodedby: ['E'] }],
  ['ffmpeg', 'encoder', 'Lavf59.27.100', { encodersettings: ['Lavf59.27.100'] }],
  ['Picard', 'MixArtist', 'R', { remixer: ['R'] }],
  ['Picard', 'Weblink', 'https://example.org/', { website: ['https://example.org/'] }],
  ['Picard', 'Lyrics', 'la', { lyrics: ['la'] }],
  ['Mp3tag', 'UNSYNCEDLYRICS', 'la', { lyrics: ['la'] }],
  ['Picard', 'MUSICBRAINZ_TRACKID', 'r', { musicbrainz_recordingid: ['r'] }],
  ['Picard', 'MUSICBRAINZ_ALBUMSTATUS', 'official', { releasestatus: ['official'] }],
  ['Picard', 'Work', 'W', { work: ['W'] }],
  ['Mp3tag', 'WORK', 'W', { work: ['W'] }],
  ['Picard', 'Performer', 'P (piano)', { performer: ['P (piano)'] }],
  ['Picard', 'Writer', 'W', { writer: ['W'] }],
  ['Picard', 'Djmixer', 'D', { djmixer: ['D'] }],
  ['Picard', 'Director', 'D', { director: ['D'] }],
  ['Picard', 'Language', 'jpn', { language: ['jpn'] }],
];

const VORBIS: readonly Row[] = [
  ['Picard, Mp3tag, ffmpeg', 'ALBUMARTIST', 'AA', albumArtist],
  ['foobar2000', 'ALBUM ARTIST', 'AA', albumArtist],
  ['some taggers', 'ALBUM_ARTIST', 'AA', albumArtist],
  ['ffmpeg (copying an APEv2 key)', 'album_artist', 'AA', albumArtist],
  ['Picard, foobar2000, Mp3tag, ffmpeg', 'DISCNUMBER', '1/2', disc],
  ['Picard, Mp3tag', 'TRACKTOTAL', '12', { totaltracks: ['12'] }],
  ['Picard, foobar2000', 'TOTALTRACKS', '12', { totaltracks: ['12'] }],
  ['Picard, Mp3tag', 'DISCTOTAL', '2', { totaldiscs: ['2'] }],
  ['Picard, foobar2000', 'TOTALDISCS', '2', { totaldiscs: ['2'] }],
  // beets (mediafile) writes each number and the date's year under these names too.
  ['beets', 'TRACK', '3', { tracknumber: ['3'] }],
  ['beets', 'TRACKC', '12', { totaltracks: ['12'] }],
  ['beets', 'DISC', '1', { discnumber: ['1'] }],
  ['beets', 'DISCC', '2', { totaldiscs: ['2'] }],
  ['beets', 'YEAR', '2004', { date: ['2004'] }],
  ['Picard, Mp3tag', 'ALBUMARTISTSORT', 'S', { albumartistsort: ['S'] }],
  ['Picard, Mp3tag', 'ARTISTSORT', 'S', { artistsort: ['S'] }],
  ['Picard, Mp3tag', 'ALBUMSORT', 'S', { albumsort: ['S'] }],
  ['Picard, Mp3tag', 'TITLESORT', 'S', { titlesort: ['S'] }],
  ['Picard, Mp3tag', 'COMPOSERSORT', 'S', { composersort: ['S'] }],
  ['ffmpeg (from MP3)', 'album-sort', 'S', { albumsort: ['S'] }],
  ['ffmpeg (from MP4)', 'sort_album_artist', 'S', { albumartistsort: ['S'] }],
  ['ffmpeg', 'DESCRIPTION', 'hello', { comment: ['hello'] }],
  ['ffmpeg', 'publisher', 'L', { label: ['L'] }],
  ['ffmpeg', 'encoded_by', 'E', { encodedby: ['E'] }],
  ['Mp3tag', 'UNSYNCEDLYRICS', 'la', { lyrics: ['la'] }],
  ['Picard', 'MUSICBRAINZ_TRACKID', 'r', { musicbrainz_recordingid: ['r'] }],
  ['Picard', 'MUSICBRAINZ_RELEASETRACKID', 't', { musicbrainz_trackid: ['t'] }],
  ['Picard, Mp3tag', 'WORK', 'W', { work: ['W'] }],
  // The credits (issue 67): Picard's names, the performer's role in parentheses.
  ['Picard, Mp3tag', 'PERFORMER', 'Ed Sheeran (lead vocals)', { performer: ['Ed Sheeran (lead vocals)'] }],
  ['Picard', 'WRITER', 'W', { writer: ['W'] }],
  ['Picard', 'MIXER', 'M', { mixer: ['M'] }],
  ['Picard', 'DJMIXER', 'D', { djmixer: ['D'] }],
  ['Picard', 'DIRECTOR', 'D', { director: ['D'] }],
  ['Picard', 'CONDUCTOR', 'C', { conductor: ['C'] }],
  ['Picard', 'LYRICIST', 'L', { lyricist: ['L'] }],
  ['Picard', 'LANGUAGE', 'jpn', { language: ['jpn'] }],
];

/** ID3v2 frames (TXXX:description for a user text frame). */
const ID3V2: readonly Row[] = [
  ['Picard, foobar2000, Mp3tag, ffmpeg, iTunes', 'TPE2', 'AA', albumArtist],
  ['foobar2000 (before 1.0)', 'TXXX:ALBUM ARTIST', 'AA', albumArtist],
  ['some taggers', 'TXXX:ALBUMARTIST', 'AA', albumArtist],
  ['Picard, foobar2000, Mp3tag, ffmpeg', 'TPOS', '1/2', disc],
  ['ffmpeg (from FLAC)', 'TXXX:TRACKTOTAL', '12', { totaltracks: ['12'] }],
  ['ffmpeg (from FLAC)', 'TXXX:TOTALDISCS', '2', { totaldiscs: ['2'] }],
  ['Picard, Mp3tag, iTunes', 'TSO2', 'S', { albumartistsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'TSOC', 'S', { composersort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'TSOP', 'S', { artistsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'TSOA', 'S', { albumsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'TSOT', 'S', { titlesort: ['S'] }],
  ['foobar2000', 'TXXX:ALBUMARTISTSORT', 'S', { albumartistsort: ['S'] }],
  ['ffmpeg (ID3v2.3)', 'TXXX:album-sort', 'S', { albumsort: ['S'] }],
  ['ffmpeg (from MP4)', 'TXXX:sort_album_artist', 'S', { albumartistsort: ['S'] }],
  ['ffmpeg (from MP4)', 'TXXX:sort_name', 'S', { titlesort: ['S'] }],
  ['Picard', 'TXXX:MusicBrainz Album Id', 'x', { musicbrainz_albumid: ['x'] }],
  ['Picard', 'TXXX:WORK', 'W', { work: ['W'] }],
  ['Picard (before 2.1)', 'TXXX:Work', 'W', { work: ['W'] }],
  ['Picard', 'TXXX:Writer', 'W', { writer: ['W'] }],
  ['Picard (before 2.0)', 'TXXX:writer', 'W', { writer: ['W'] }],
  ['Picard', 'TXXX:DIRECTOR', 'D', { director: ['D'] }],
  ['Picard, Mp3tag', 'TEXT', 'L', { lyricist: ['L'] }],
  ['Picard, Mp3tag', 'TPE3', 'C', { conductor: ['C'] }],
  ['Picard, Mp3tag', 'TLAN', 'jpn', { language: ['jpn'] }],
];

/** ID3v2.2's three-letter frames, as iTunes writes them. */
const ID3V22: readonly Row[] = [
  ['iTunes', 'TP2', 'AA', albumArtist],
  ['iTunes', 'TPA', '1/2', disc],
  ['iTunes', 'TS2', 'S', { albumartistsort: ['S'] }],
  ['iTunes', 'TSP', 'S', { artistsort: ['S'] }],
  ['iTunes', 'TSA', 'S', { albumsort: ['S'] }],
  ['iTunes', 'TST', 'S', { titlesort: ['S'] }],
  ['iTunes', 'TSC', 'S', { composersort: ['S'] }],
  ['iTunes', 'TCP', '1', { compilation: ['1'] }],
];

const freeform = (name: string) => `----:com.apple.iTunes:${name}`;
const MP4: readonly Row[] = [
  ['Picard, foobar2000, Mp3tag, ffmpeg, iTunes', 'aART', 'AA', albumArtist],
  ['Picard, foobar2000, Mp3tag, ffmpeg, iTunes', 'disk', '1/2', disc],
  ['Picard, Mp3tag, iTunes', 'soaa', 'S', { albumartistsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'soco', 'S', { composersort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'soar', 'S', { artistsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'soal', 'S', { albumsort: ['S'] }],
  ['Picard, Mp3tag, iTunes', 'sonm', 'S', { titlesort: ['S'] }],
  ['foobar2000', freeform('ALBUM ARTIST'), 'AA', albumArtist],
  ['foobar2000', freeform('TOTALDISCS'), '2', { totaldiscs: ['2'] }],
  ['Picard', freeform('DISCSUBTITLE'), 'D', { discsubtitle: ['D'] }],
  ['Picard', freeform('MusicBrainz Track Id'), 'r', { musicbrainz_recordingid: ['r'] }],
  ['Picard, iTunes', '©wrk', 'W', { work: ['W'] }],
  ['Picard (read, not written)', freeform('WORK'), 'W', { work: ['W'] }],
  ['Picard', freeform('LYRICIST'), 'L', { lyricist: ['L'] }],
  ['Picard', freeform('CONDUCTOR'), 'C', { conductor: ['C'] }],
  ['Picard', freeform('MIXER'), 'M', { mixer: ['M'] }],
  ['Picard', freeform('DJMIXER'), 'D', { djmixer: ['D'] }],
  ['Picard', freeform('writer'), 'W', { writer: ['W'] }],
  ['Picard', freeform('LANGUAGE'), 'jpn', { language: ['jpn'] }],
  [
    'Sleeve (Picard writes no performer in MP4)',
    freeform('PERFORMER'),
    'P (piano)',
    { performer: ['P (piano)'] },
  ],
  ['Picard, iTunes', '©dir', 'D', { director: ['D'] }],
];

/** WAV's RIFF INFO items (read when the file has no ID3 chunk). */
const RIFF_INFO: readonly Row[] = [
  ['Picard, foobar2000, ffmpeg', 'IART', 'A', { artist: ['A'] }],
  ['Picard, foobar2000, ffmpeg', 'IPRD', 'B', { album: ['B'] }],
  ['Picard, foobar2000', 'ITRK', '3', { tracknumber: ['3'] }],
  ['ffmpeg', 'IPRT', '3', { tracknumber: ['3'] }],
  ['Picard, foobar2000, ffmpeg', 'ICRD', '2004', { date: ['2004'] }],
  ['Picard', 'IMUS', 'C', { composer: ['C'] }],
  ['Picard', 'IENG', 'E', { engineer: ['E'] }],
  ['Picard', 'IENC', 'E', { encodedby: ['E'] }],
  ['ffmpeg', 'ITCH', 'E', { encodedby: ['E'] }],
  ['ffmpeg', 'ISFT', 'Lavf59.27.100', { encodersettings: ['Lavf59.27.100'] }],
  ['Picard', 'IMED', 'CD', { media: ['CD'] }],
  ['Picard, ffmpeg', 'ILNG', 'eng', { language: ['eng'] }],
];

describe.each([
  { format: 'APEv2', type: 'APEv2', rows: APEV2 },
  { format: 'Vorbis comments', type: 'vorbis', rows: VORBIS },
  { format: 'ID3v2.4', type: 'ID3v2.4', rows: ID3V2 },
  { format: 'ID3v2.2', type: 'ID3v2.2', rows: ID3V22 },
  { format: 'MP4', type: 'iTunes', rows: MP4 },
  { format: 'RIFF INFO', type: 'exif', rows: RIFF_INFO },
])('$format: the keys taggers write read as their fields', ({ type, rows }) => {
  it.each(rows)('%s: %s', (_, key, value, reads) => {
    expect(read(type, key, value)).toEqual(reads);
  });
});

/** The APEv2 tag the mount serves for `tags`, as its items read back (key → values). */
function servedApe(tags: TagList): Record<string, string[]> {
  const tag = buildApeTag({ tags, pictures: [] }, []);
  const items: Record<string, string[]> = {};
  for (const { id, value } of readApeTag(bufferWindow(tag), tag.length).tags) {
    items[id] = [...(items[id] ?? []), ...String(value).split('\0')];
  }
  return items;
}

describe('a field read under another tagger’s key is served under the one Picard writes, once', () => {
  it("APEv2: ffmpeg's album_artist is served as Album Artist (Picard's), and reads back the same", () => {
    const tags = normalizeTags(
      {
        APEv2: [
          { id: 'album_artist', value: 'AA' },
          // A file that states it twice (ffmpeg's key and a tagger's): one value.
          { id: 'ALBUM ARTIST', value: 'AA' },
          { id: 'disc', value: '1/2' },
          { id: 'TRACKTOTAL', value: '12' },
          { id: 'track', value: '3' },
          { id: 'sort_album_artist', value: 'S' },
        ],
      },
      common,
    );
    expect(Object.fromEntries(tags)).toEqual({
      albumartist: ['AA'],
      discnumber: ['1'],
      totaldiscs: ['2'],
      totaltracks: ['12'],
      tracknumber: ['3'],
      albumartistsort: ['S'],
    });
    const served = servedApe(tags);
    expect(served).toEqual({
      'Album Artist': ['AA'],
      Disc: ['1/2'],
      Track: ['3/12'],
      ALBUMARTISTSORT: ['S'],
    });
    const tag = buildApeTag({ tags, pictures: [] }, []);
    const again = normalizeTags({ APEv2: readApeTag(bufferWindow(tag), tag.length).tags }, common);
    expect(Object.fromEntries(again)).toEqual(Object.fromEntries(tags));
  });

  it('Vorbis: ALBUM ARTIST, ALBUM_ARTIST and album_artist are served as ALBUMARTIST, once', () => {
    const tags = normalizeTags(
      {
        vorbis: [
          { id: 'ALBUM ARTIST', value: 'AA' },
          { id: 'ALBUM_ARTIST', value: 'AA' },
          { id: 'album_artist', value: 'AA' },
          { id: 'ALBUMARTIST', value: 'AA' },
          { id: 'TOTALDISCS', value: '2' },
          { id: 'DESCRIPTION', value: 'hello' },
          { id: 'COMMENT', value: 'hello' },
        ],
      },
      common,
    );
    expect(Object.fromEntries(tags)).toEqual({ albumartist: ['AA'], totaldiscs: ['2'], comment: ['hello'] });
    expect(vorbisFields(tags).map((f) => `${f.name}=${f.value}`)).toEqual([
      'ALBUMARTIST=AA',
      'DISCTOTAL=2',
      'COMMENT=hello',
    ]);
  });

  it('work (issue 67) is served as Picard writes it: WORK, TXXX:WORK, ©wrk, Work', () => {
    const tags: TagList = [['work', ['Swan Lake, op. 20', 'Medley part']]];
    expect(vorbisFields(tags).map((f) => f.name)).toEqual(['WORK', 'WORK']);
    const id3 = parseId3v2(buildId3Header({ tags, pictures: [], audioBytes: 0 }, []));
    expect(id3.tags.map((t) => t.id)).toEqual(['TXXX:WORK', 'TXXX:WORK']);
    const moov = Buffer.from([0, 0, 0, 8, ...Buffer.from('moov')]);
    const kept = { moov: [0, 8, 8], udta: null, meta: null, moovFirst: true, co32: false } as const;
    const mp4 = bufferWindow(buildMp4Moov({ kept, tags, pictures: [], audioBytes: 0 }, moov, 0, []));
    expect(readIlst(mp4, findIlst(mp4)!).tags.map((t) => t.id)).toEqual(['©wrk', '©wrk']);
    expect(servedApe(tags)).toEqual({ Work: ['Swan Lake, op. 20', 'Medley part'] });
  });

  it('a value a source states twice under one name stays twice (as a tagger wrote it)', () => {
    const twice = [
      { id: 'ARTIST', value: 'A' },
      { id: 'ARTIST', value: 'A' },
    ];
    expect(Object.fromEntries(normalizeTags({ vorbis: twice }, common))).toEqual({ artist: ['A', 'A'] });
  });
});
