// config.json: a home without one gets every default without loading the schema, and those defaults are
// exactly what the schema gives for an empty file; a bad key is named.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/core/config.ts';
import { tempDir } from '../helpers.ts';

/** What the schema makes of a config.json that sets nothing. */
function schemaDefaults() {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, '{}');
  return loadConfig(path);
}

it('gives a home without config.json the schema’s defaults', () => {
  expect(loadConfig(join(tempDir(), 'config.json'))).toEqual(schemaDefaults());
});

it('hands out defaults a caller may change without changing the next home’s', () => {
  const path = join(tempDir(), 'config.json');
  loadConfig(path).scan.ignore.push('Samples');
  loadConfig(path).identify.acoustid.enabled = true;
  expect(loadConfig(path)).toEqual(schemaDefaults());
});

it('hands out a section a config.json leaves out as a copy of its defaults', () => {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify({ watch: { poll: true } }));
  loadConfig(path).identify.acoustid.enabled = true;
  loadConfig(path).scan.ignore.push('Samples');
  expect(loadConfig(path).identify.acoustid.enabled).toBe(false);
  expect(loadConfig(path).scan.ignore).toEqual([]);
});

it('validates a config.json, filling in what it leaves out, and names a bad key', () => {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify({ watch: { pollSeconds: 30 } }));
  expect(loadConfig(path).watch).toEqual({ enabled: true, poll: false, pollSeconds: 30, settleSeconds: 1 });
  writeFileSync(path, JSON.stringify({ watch: { pollSeconds: 1 } }));
  expect(() => loadConfig(path)).toThrow(ConfigError);
  expect(() => loadConfig(path)).toThrow(/watch\.pollSeconds/);
});

it('takes the origins web clients may call the Subsonic server from as a browser sends them', () => {
  const path = join(tempDir(), 'config.json');
  expect(loadConfig(path).subsonic.corsOrigins).toEqual(['*']);
  writeFileSync(
    path,
    JSON.stringify({ subsonic: { corsOrigins: ['https://music.example.org/', 'http://[::1]:8080'] } }),
  );
  expect(loadConfig(path).subsonic.corsOrigins).toEqual(['https://music.example.org', 'http://[::1]:8080']);
  for (const bad of ['music.example.org', 'https://music.example.org/app', 'https://*.example.org']) {
    writeFileSync(path, JSON.stringify({ subsonic: { corsOrigins: [bad] } }));
    expect(() => loadConfig(path), bad).toThrow(/subsonic\.corsOrigins\.0: an origin is "\*" or scheme/);
  }
});
