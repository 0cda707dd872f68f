// The catalog's fields are the field table's rows marked for players, each credit of the table one the
// catalog reads and lists as a contributor, so a field or credit added to the table reaches the Subsonic
// server with no other list to change.
import { describe, expect, it } from 'vitest';
import { FIELD_OF_TYPE } from '../../app/core/identify/credits.ts';
import { CATALOG_KEYS, CREDIT_KEYS } from '../../app/core/library/catalog-groups.ts';
import { FIELD_TABLE } from '../../app/shared/field-table.ts';

describe("the catalog's fields", () => {
  it("are the table's rows marked for players: the gains a player applies, never the lyrics", () => {
    expect(CATALOG_KEYS).toEqual(Object.keys(FIELD_TABLE).filter((k) => FIELD_TABLE[k]!.catalog));
    expect(CATALOG_KEYS).toEqual(
      expect.arrayContaining(['title', 'replaygain_track_gain', 'r128_track_gain', 'r128_album_gain']),
    );
    expect(CATALOG_KEYS).not.toContain('lyrics');
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
