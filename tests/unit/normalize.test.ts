import type { ICommonTagsResult } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { normalizeTags } from '../../app/core/tags/normalize.ts';

const common = {
  track: { no: null, of: null },
  disk: { no: null, of: null },
  movementIndex: { no: null, of: null },
} as unknown as ICommonTagsResult;
const tags = (native: Record<string, Array<{ id: string; value: unknown }>>) =>
  Object.fromEntries(normalizeTags(native as never, common));

describe('normalizeTags', () => {
  it('maps Vorbis comments to Picard names, splitting n/N and keeping unknown keys', () => {
    expect(
      tags({
        vorbis: [
          { id: 'TITLE', value: 'Song' },
          { id: 'ARTIST', value: 'A' },
          { id: 'ARTIST', value: 'B' },
          { id: 'TRACKNUMBER', value: '3/12' },
          { id: 'DISCTOTAL', value: '2' },
          // Picard writes the total under both names: one total.
          { id: 'TRACKTOTAL', value: '12' },
          { id: 'TOTALTRACKS', value: '12' },
          { id: 'MUSICBRAINZ_TRACKID', value: 'rec-id' },
          { id: 'MUSICBRAINZ_RELEASETRACKID', value: 'track-id' },
          { id: 'UNSYNCEDLYRICS', value: 'la' },
          { id: 'INITIALKEY', value: 'Am' }, // beets' and Mp3tag's spelling of Picard's KEY
          { id: 'MY_CUSTOM', value: 'x' },
          { id: 'METADATA_BLOCK_PICTURE', value: { data: new Uint8Array(1) } },
        ],
      }),
    ).toEqual({
      title: ['Song'],
      artist: ['A', 'B'],
      tracknumber: ['3'],
      totaltracks: ['12'],
      totaldiscs: ['2'],
      musicbrainz_recordingid: ['rec-id'],
      musicbrainz_trackid: ['track-id'],
      lyrics: ['la'],
      key: ['Am'],
      my_custom: ['x'],
    });
  });

  it('reads a file beets wrote (every number and the date stated twice, the year alone) as one of each', () => {
    const written = [
      { id: 'DATE', value: '2004-05-01' },
      { id: 'YEAR', value: '2004' },
      { id: 'TRACK', value: '3' },
      { id: 'TRACKNUMBER', value: '3' },
      { id: 'TRACKTOTAL', value: '12' },
      { id: 'TRACKC', value: '12' },
      { id: 'TOTALTRACKS', value: '12' },
      { id: 'DISC', value: '1' },
      { id: 'DISCNUMBER', value: '1' },
      { id: 'DISCTOTAL', value: '2' },
      { id: 'DISCC', value: '2' },
      { id: 'TOTALDISCS', value: '2' },
    ];
    for (const vorbis of [written, written.toReversed()])
      expect(tags({ vorbis })).toEqual({
        date: ['2004-05-01'],
        tracknumber: ['3'],
        totaltracks: ['12'],
        discnumber: ['1'],
        totaldiscs: ['2'],
      });
    // A YEAR that says another year is a field of its own (it is no part of the date); alone, the date.
    const dated = (...pairs: Array<[string, string]>) =>
      tags({ vorbis: pairs.map(([id, value]) => ({ id, value })) });
    const apart = { date: ['2011-03-01'], year: ['1971'] };
    expect(dated(['DATE', '2011-03-01'], ['YEAR', '1971'])).toEqual(apart);
    expect(dated(['YEAR', '1971'], ['DATE', '2011-03-01'])).toEqual(apart);
    expect(dated(['YEAR', '1971'])).toEqual({ date: ['1971'] });
    // Two dates a file gives under one name are two values.
    expect(
      tags({
        vorbis: [
          { id: 'DATE', value: '2004' },
          { id: 'DATE', value: '2004-05-01' },
        ],
      }),
    ).toEqual({
      date: ['2004', '2004-05-01'],
    });
  });

  it('maps ID3v2.4 frames: TXXX, UFID, COMM, USLT, TRCK/TPOS, multi-values', () => {
    expect(
      tags({
        'ID3v2.4': [
          { id: 'TIT2', value: 'T' },
          { id: 'TPE1', value: 'A' },
          { id: 'TPE1', value: 'B' },
          { id: 'TRCK', value: '1/9' },
          { id: 'TPOS', value: '2' },
          { id: 'TDRC', value: '2001-02-03' },
          { id: 'TXXX:MusicBrainz Album Id', value: 'rel' },
          { id: 'TXXX:Acoustid Id', value: 'aid' },
          { id: 'TXXX:REPLAYGAIN_TRACK_GAIN', value: '-3 dB' },
          { id: 'TXXX:Custom Thing', value: 'kept' },
          {
            id: 'UFID',
            value: {
              owner_identifier: 'http://musicbrainz.org',
              identifier: new TextEncoder().encode('rec'),
            },
          },
          { id: 'COMM', value: { language: 'eng', descriptor: '', text: 'hello' } },
          { id: 'COMM', value: { language: 'eng', descriptor: 'iTunNORM', text: 'x' } },
          { id: 'USLT', value: { language: 'eng', descriptor: '', text: 'words' } },
          { id: 'TLEN', value: '1000' },
          { id: 'TOWN', value: 'me' },
        ],
      }),
    ).toEqual({
      title: ['T'],
      artist: ['A', 'B'],
      tracknumber: ['1'],
      totaltracks: ['9'],
      discnumber: ['2'],
      date: ['2001-02-03'],
      musicbrainz_albumid: ['rel'],
      acoustid_id: ['aid'],
      replaygain_track_gain: ['-3 dB'],
      'Custom Thing': ['kept'],
      musicbrainz_recordingid: ['rec'],
      comment: ['hello'],
      'comment:iTunNORM': ['x'],
      lyrics: ['words'],
      TOWN: ['me'],
    });
  });

  it("reads TXXX frames named as Vorbis comments (ffmpeg's FLAC to AIFF or MP3) as their fields", () => {
    expect(
      tags({
        'ID3v2.4': [
          { id: 'TRCK', value: '3' },
          { id: 'TXXX:COMMENT', value: 'hello' },
          { id: 'TXXX:TRACKTOTAL', value: '12' },
          { id: 'TXXX:TOTALTRACKS', value: '12' },
          { id: 'TXXX:DISCTOTAL', value: '2' },
          { id: 'TXXX:Custom Thing', value: 'kept' },
        ],
      }),
    ).toEqual({
      tracknumber: ['3'],
      comment: ['hello'],
      totaltracks: ['12'],
      totaldiscs: ['2'],
      'Custom Thing': ['kept'],
    });
  });

  it('joins ID3v2.3 TYER and TDAT into a date', () => {
    expect(
      tags({
        'ID3v2.3': [
          { id: 'TYER', value: '1999' },
          { id: 'TDAT', value: '3112' },
        ],
      }),
    ).toEqual({ date: ['1999-12-31'] });
  });

  it('lets ID3v2 win over APEv2 and ID3v1, field by field', () => {
    expect(
      tags({
        ID3v1: [
          { id: 'title', value: 'old title' },
          { id: 'genre', value: 'Rock' },
          { id: 'track', value: 4 },
        ],
        APEv2: [
          { id: 'Title', value: 'ape title' },
          { id: 'Album Artist', value: 'AA' },
        ],
        'ID3v2.3': [{ id: 'TIT2', value: 'new title' }],
      }),
    ).toEqual({ title: ['new title'], albumartist: ['AA'], genre: ['Rock'], tracknumber: ['4'] });
  });

  it('maps MP4 atoms and freeform items', () => {
    expect(
      tags({
        iTunes: [
          { id: '©nam', value: 'T' },
          { id: 'trkn', value: '4/9' },
          { id: 'cpil', value: true },
          { id: '----:com.apple.iTunes:MusicBrainz Track Id', value: 'rec' },
          { id: '----:com.apple.iTunes:MusicBrainz Release Track Id', value: 'trk' },
        ],
      }),
    ).toEqual({
      title: ['T'],
      tracknumber: ['4'],
      totaltracks: ['9'],
      compilation: ['1'],
      musicbrainz_recordingid: ['rec'],
      musicbrainz_trackid: ['trk'],
    });
  });

  it('merges keys that differ only in case, keeping the first spelling', () => {
    expect(
      tags({
        'ID3v2.4': [
          { id: 'TXXX:Custom', value: 'a' },
          { id: 'TXXX:CUSTOM', value: 'b' },
        ],
        APEv2: [{ id: 'custom', value: 'ignored: ID3v2 owns the field' }],
      }),
    ).toEqual({ Custom: ['a', 'b'] });
  });
});
