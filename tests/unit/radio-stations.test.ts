// Internet radio stations: only http and https addresses, a name, and at most MAX_STATIONS kept.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import {
  addStation,
  listStations,
  MAX_STATIONS,
  removeStation,
} from '../../app/core/library/radio-stations.ts';
import { tempDir } from '../helpers.ts';

describe('internet radio stations', () => {
  it('refuses what is not an http or https address, or has no name, each with its reason', () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    const add = (name: string, streamUrl: string, homePageUrl?: string) => () =>
      addStation(db, { name, streamUrl, homePageUrl });
    expect(add('Script', 'javascript:alert(1)')).toThrow('not an http or https address');
    expect(add('Path', '/srv/radio.mp3')).toThrow('is not a URL');
    expect(add('', 'https://radio.example/')).toThrow("a station's name is 1 to 200 characters");
    expect(add('Home', 'https://radio.example/', 'ftp://radio.example/')).toThrow('the home page');
    expect(add('Long', `https://radio.example/${'a'.repeat(2000)}`)).toThrow('over 2000 characters');
    expect(listStations(db)).toEqual([]);
    expect(() => removeStation(db, 7)).toThrow('there is no station 7');
    db.close();
  });

  it(`keeps at most ${MAX_STATIONS}`, () => {
    const db = openDatabase(join(tempDir(), 'library.db'));
    for (let i = 0; i < MAX_STATIONS; i++)
      addStation(db, { name: `S${i}`, streamUrl: `https://r.example/${i}` });
    expect(() => addStation(db, { name: 'one more', streamUrl: 'https://r.example/x' })).toThrow(
      `at most ${MAX_STATIONS} stations`,
    );
    db.close();
  });
});
