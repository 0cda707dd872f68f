import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexEngine } from '../../index-engine/engine-client.ts';
import { hashesOf } from '../fixtures/index-writer.ts';
import { tempDir } from '../helpers.ts';

const WRITER = new URL('../fixtures/index-writer.ts', import.meta.url).pathname;

interface Ack {
  readonly version: number;
  readonly first: number;
  readonly last: number;
}

/** Runs the writer until it has acknowledged something, then SIGKILLs it after `ms` more. */
function ingestAndKill(dir: string, firstId: number, ms: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(firstId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code}: ${err}`));
      // A line cut by the kill was never complete, so it was never acknowledged to anyone.
      const lines = out.split('\n').slice(0, -1);
      resolve(
        lines.map((l) => {
          const [version, first, last] = l.split(' ').map(Number);
          return { version: version!, first: first!, last: last! };
        }),
      );
    });
  });
}

describe('crash safety', () => {
  const dir = tempDir();
  let engine: IndexEngine | undefined;
  afterAll(() => engine?.close());

  it('every acknowledged write survives SIGKILL at random moments, across many restarts', async () => {
    const all: Ack[] = [];
    const delays = [0, 35, 120, 260, 15, 400, 75, 190];
    for (const [round, delay] of delays.entries()) {
      const acks = await ingestAndKill(dir, round * 1_000_000 + 1, delay);
      expect(acks.length).toBeGreaterThan(0);
      all.push(...acks);

      engine = await IndexEngine.open(dir);
      const status = await engine.status('main');
      expect(status.version).toBeGreaterThanOrEqual(Math.max(...all.map((a) => a.version)));
      for (const ack of all) {
        for (const id of [ack.first, ack.last]) {
          expect(await engine.documentVersion('main', id)).toBe(ack.version);
        }
      }
      const sample = all[Math.floor(all.length / 2)]!;
      expect((await engine.search('main', hashesOf(sample.first)))[0]).toEqual({
        id: sample.first,
        score: 30,
      });
      await engine.close();
      engine = undefined;
    }
    // Versions are unique per acknowledged transaction.
    expect(new Set(all.map((a) => a.version)).size).toBe(all.length);
  });
});
