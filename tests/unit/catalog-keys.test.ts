// The catalog's fields are the field table's rows marked for players, each credit of the table one the
// catalog reads and lists as a contributor, so a field or credit added to the table reaches the Subsonic
// server with no other list to change.
import { describe, expect, it } from 'vitest';
import { FIELD_OF_TYPE } from '../../app/core/identify/credits.ts';
import { IDENTITY_FIELDS, isRecordingField } from '../../app/core/identify/identity-fields.ts';
import { CATALOG_KEYS, CREDIT_KEYS } from '../../app/core/library/catalog-groups.ts';
import { FIELD_TABLE } from '../../app/shared/field-table.ts';

describe("the catalog's fields", () => {
  it("are the table's rows marked for players: the gains a player applies, never the lyrics", () => {
    expect(CATALOG_KEYS).toEqual(Object.keys(FIELD_TABLE).filter((k) => FIELD_TABLE[k]!.catalog));
    // Pinned: a mark lost or added by mistake in the table shows here.
    expect([...CATALOG_KEYS].sort()).toEqual(
      [
        ...[
          'album',
          'albumartist',
          'albumartistsort',
          'albumsort',
          'arranger',
          'artist',
          'artists',
          'artistsort',
        ],
        ...['bpm', 'comment', 'compilation', 'composer', 'composersort', 'conductor', 'date', 'director'],
        ...['discnumber', 'discsubtitle', 'djmixer', 'engineer', 'genre', 'grouping', 'isrc', 'label'],
        ...[
          'lyricist',
          'mixer',
          'mood',
          'musicbrainz_albumid',
          'musicbrainz_recordingid',
          'musicbrainz_workid',
        ],
        ...['originaldate', 'performer', 'producer', 'r128_album_gain', 'r128_track_gain', 'releasetype'],
        ...['remixer', 'replaygain_album_gain', 'replaygain_album_peak', 'replaygain_track_gain'],
        ...['replaygain_track_peak', 'title', 'titlesort', 'totaldiscs', 'tracknumber', 'work', 'writer'],
      ].sort(),
    );
    expect(CATALOG_KEYS).not.toContain('lyrics');
  });

  it("name the recording's own fields, which identifying a file may give its other copies", () => {
    expect(IDENTITY_FIELDS.filter(isRecordingField).sort()).toEqual(
      [
        ...['acoustid_id', 'artist', 'artists', 'artistsort', 'composer', 'composersort', 'isrc', 'language'],
        ...['lyricist', 'musicbrainz_artistid', 'musicbrainz_recordingid', 'musicbrainz_workid', 'title'],
        ...['titlesort', 'work', 'writer'],
      ].sort(),
    );
    expect(IDENTITY_FIELDS).toHaveLength(51); // the release's: the other 35
    expect(IDENTITY_FIELDS).not.toContain('replaygain_track_gain'); // a per-file fact
  });

  it('credit every role the table marks, each read by the catalog', () => {
    expect(CREDIT_KEYS).toEqual(Object.keys(FIELD_TABLE).filter((k) => FIELD_TABLE[k]!.credit));
    expect(CREDIT_KEYS).toContain('performer');
    expect(CREDIT_KEYS.filter((k) => !CATALOG_KEYS.includes(k))).toEqual([]);
    // Credits are lists of people: each a multi-valued field shown a line a value.
    for (const k of CREDIT_KEYS) expect(FIELD_TABLE[k], k).toMatchObject({ multi: true, list: true });
  });

  it("credit MusicBrainz's relationships only to the table's credits", () => {
    expect([...new Set(Object.values(FIELD_OF_TYPE))].filter((f) => !CREDIT_KEYS.includes(f))).toEqual([]);
  });
});
