// `sleeve identify` with AcoustID enabled, against the local fixture server: a tag-less track named by its
// sound (a strong proposal, applied as one undoable batch), an unknown one left alone, a rerun that asks
// nothing, offline mode asking nothing at all, and an unreachable service that ends in a clear error with
// nothing applied. Off by default: without the config, nothing is sent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcoustIdResult } from '../../app/core/identify/acoustid.ts';
import { type AcoustIdFixture, FIXTURE_KEY, startAcoustIdFixture } from '../fixtures/acoustid-server.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, sleeveHereAsync, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Proposal {
  fileId: number;
  source: string;
  acoustid: string;
  score: number;
  path: string;
  strength: string;
  reasons: string[];
  changes: Array<{ key: string; before: string[]; after: string[] }>;
}

const RECORDING = 'b9ad642e-b012-41c7-b72a-42cf4911f9f1';
const ACOUSTID = '9ff43b6a-4f16-427c-93c2-92307ca505e1';

describe('sleeve identify, by sound through AcoustID', () => {
  const lib = tempDir();
  const home = tempDir();
  let server: AcoustIdFixture;
  let before: Map<string, string>;
  const configure = (acoustid: object) =>
    writeFileSync(join(home, 'config.json'), JSON.stringify({ identify: { acoustid } }));

  beforeAll(async () => {
    writeWav(join(lib, 'known.wav'), synthesizePiece(11, 40));
    writeWav(join(lib, 'unknown.wav'), synthesizePiece(12, 40));
    tool('flac', ['-s', '-f', join(lib, 'known.wav'), '-o', join(lib, 'known.flac')]);
    tool('rm', [join(lib, 'known.wav')]);
    before = hashTree(lib);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]).status).toBe(0);
    const [known] = sleeveHereJson<Array<{ fingerprint: string; duration: number }>>(home, [
      'fingerprint',
      'path:known',
      '--json',
    ]);
    // What the service knows of the FLAC's sound, as its documentation shows a lookup's answer.
    const results: AcoustIdResult[] = [
      {
        id: ACOUSTID,
        score: 0.97,
        recordings: [
          {
            id: RECORDING,
            title: 'Lantern Light',
            duration: known!.duration,
            artists: [
              { id: 'a74b1b7f-71a5-4011-9441-d0b5e4122711', name: 'Ada North', joinphrase: ' feat. ' },
              { id: '5b11f4ce-a62d-471e-81fc-a69a8278c7da', name: 'The Lanterns' },
            ],
          },
        ],
      },
    ];
    server = await startAcoustIdFixture(new Map([[known!.fingerprint, results]]));
  });

  afterAll(() => server.close());

  it('sends nothing anywhere unless enabled', async () => {
    configure({ enabled: false, apiKey: FIXTURE_KEY, url: server.url }); // everything but the switch
    const r = await sleeveHereAsync(home, ['identify', 'path:/known|unknown/']);
    expect(r.stdout).toContain('AcoustID or MusicBrainz is off: set identify.acoustid (enabled, apiKey)');
    expect(server.requests).toHaveLength(0);
  });

  it('names a track by its sound: a strong proposal, applied as one undoable batch', async () => {
    configure({ enabled: true, apiKey: FIXTURE_KEY, url: server.url });
    const r = await sleeveHereAsync(home, ['identify', 'path:/known|unknown/', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('AcoustID: 1 request(s) for 2 fingerprint(s), 0 answered from earlier runs');
    expect(server.requests.map((q) => q.fingerprints)).toEqual([2]);
    const [p, ...rest] = (JSON.parse(r.stdout) as { proposals: Proposal[] }).proposals;
    expect(rest).toEqual([]); // the other track: unknown to AcoustID
    expect([p!.source, p!.acoustid, p!.score, p!.strength, p!.reasons]).toEqual([
      'acoustid',
      ACOUSTID,
      0.97,
      'strong',
      [],
    ]);
    expect(p!.path).toMatch(/known\.flac$/);
    expect(Object.fromEntries(p!.changes.map((c) => [c.key, c.after]))).toEqual({
      title: ['Lantern Light'],
      artist: ['Ada North feat. The Lanterns'],
      artists: ['Ada North', 'The Lanterns'],
      musicbrainz_artistid: ['a74b1b7f-71a5-4011-9441-d0b5e4122711', '5b11f4ce-a62d-471e-81fc-a69a8278c7da'],
      musicbrainz_recordingid: [RECORDING],
      acoustid_id: [ACOUSTID],
    });

    // A rerun asks nothing: the answers are in the library.
    const again = await sleeveHereAsync(home, ['identify', 'path:/known|unknown/', '--apply-strong', '-y']);
    expect(again.stderr).toContain(
      'AcoustID: 0 request(s) for 2 fingerprint(s), 2 answered from earlier runs',
    );
    expect(server.requests).toHaveLength(1);
    expect(again.stdout).toMatch(/saved as edit batch \d+ \(1 file\(s\)\)/);
    expect(sleeveHere(home, ['ls', 'path:known.flac', '-f', '$artist - $title']).stdout.trim()).toBe(
      'Ada North feat. The Lanterns - Lantern Light',
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sleeveHere(home, ['ls', 'path:known.flac', '-f', '$title']).stdout.trim()).toBe('known');
  });

  it('asks nothing offline, and applies nothing when the service cannot be reached', async () => {
    const offline = await sleeveHereAsync(home, ['identify', 'path:/known|unknown/', '--offline', '--json']);
    expect(JSON.parse(offline.stdout)).toEqual({ proposals: [] });
    // A track never asked about (what was asked is answered from the library, service or not).
    const extra = tempDir();
    writeWav(join(extra, 'third.wav'), synthesizePiece(13, 40));
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', extra]).status).toBe(0);
    const closed = await startAcoustIdFixture(new Map());
    await closed.close();
    configure({ enabled: true, apiKey: FIXTURE_KEY, url: closed.url, retries: 0 });
    const batches = sleeveHere(home, ['history']).stdout;
    const down = await sleeveHereAsync(home, ['identify', 'path:third', '--apply', '-y']);
    expect([down.status, down.stderr]).toEqual([
      1,
      expect.stringMatching(
        /AcoustID could not be reached: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/,
      ),
    ]);
    expect(sleeveHere(home, ['history']).stdout).toBe(batches);
    // Only listing: the library's own proposals (none for this track), said to be only those.
    const listing = await sleeveHereAsync(home, ['identify', 'path:third', '--json']);
    expect([listing.status, JSON.parse(listing.stdout), listing.stderr]).toEqual([
      0,
      { proposals: [] },
      expect.stringContaining("refused the connection (ECONNREFUSED); these are the library's own proposals"),
    ]);
    configure({ enabled: true, apiKey: 'not-a-key', url: server.url });
    const refused = await sleeveHereAsync(home, ['identify', 'path:third']);
    expect(refused.stderr).toMatch(/AcoustID refused the application key in config\.json/);
  });

  it('never touches the originals', () => {
    expect(hashTree(lib)).toEqual(before);
  });
});
