// `npm run bench -- similar --only sync [--sizes 100000,1000000]`: "more like this" as the app's backend
// answers it (SimilarityService: the table brought in step with the library, then searched) on a synthetic
// library with a vector for every track, a tenth of it in recording groups: after nothing changed, after
// one track's edit (its file alone looked at: similarity_due), and after the same edit with the table's
// last whole comparison forgotten, so that every file is compared with its record as every sync did
// before the due notes (the baseline, in the same run, on the same library and table).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../app/core/db/database.ts';
import { resolveHome } from '../app/core/home.ts';
import { SimilarityService } from '../app/server/similarity-service.ts';
import {
  groupCopies,
  setField,
  syntheticEmbeddings,
  syntheticLibrary,
} from '../tests/fixtures/synthetic-library.ts';
import { latencies } from './measure.ts';

const ROUNDS = 7;

export async function syncAfterEdits(work: string, tracks: number): Promise<void> {
  const dir = join(work, `home-sync-${tracks}`);
  mkdirSync(dir, { recursive: true });
  syntheticLibrary(dir, tracks);
  syntheticEmbeddings(dir);
  groupCopies(dir);
  const home = resolveHome(dir);
  const db = openDatabase(home.database);
  const service = new SimilarityService(db, home, () => {});
  const seed = 1 + Math.floor(tracks / 2);
  const ask = async () => {
    const t = performance.now();
    const found = await service.similar({
      seeds: { kind: 'ids', ids: [seed] },
      limit: 10,
      includeDuplicates: false,
    });
    if (found.tracks.length !== 10) throw new Error(`${found.tracks.length} neighbours, not 10`);
    return performance.now() - t;
  };
  /** A genre edited on another track each round, then "more like this" asked; `whole`: the table's last
   *  whole comparison forgotten first. */
  const afterEdits = async (whole: boolean) => {
    const times: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      if (whole) db.prepare('DELETE FROM similarity_synced').run();
      setField(db, [1 + ((seed + 7919 * (k + 1)) % tracks)], 'genre', [`Edited ${whole} ${k}`]);
      times.push(await ask());
    }
    return times;
  };
  try {
    const first = await ask();
    const quiet: number[] = [];
    for (let k = 0; k < ROUNDS; k++) quiet.push(await ask());
    // Taking turns, so that neither runs on a warmer cache throughout.
    const due: number[] = [];
    const whole: number[] = [];
    for (let round = 0; round < 2; round++) {
      due.push(...(await afterEdits(false)));
      whole.push(...(await afterEdits(true)));
    }
    console.log(`\n4. "more like this" through the backend's service, ${tracks} tracks with vectors:`);
    console.log(`  the first (the table written and indexed)   ${(first / 1000).toFixed(1)} s`);
    console.log(`  nothing changed since                        ${latencies(quiet)}`);
    console.log(`  after one track's edit (its file looked at)  ${latencies(due)}`);
    console.log(`  … every file compared (the baseline)         ${latencies(whole)}`);
  } finally {
    await service.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
