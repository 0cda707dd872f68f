// What the backend (`sleeve serve`, as the desktop shell starts it) writes to stderr while it scans: not
// LanceDB's warnings. LanceDB reads LANCEDB_LOG from the process's environment when it loads, which a
// backend does on its scan's thread, whose process.env is a copy no native code sees: the launcher sets it.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RpcClient } from '../../renderer/src/rpc-client.ts';
import { serveProcess } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

let served: Awaited<ReturnType<typeof serveProcess>> | undefined;
afterAll(() => served?.stop());

it('scans on its thread, embeddings written to a new similarity table, and says nothing of LanceDB', async () => {
  const music = tempDir();
  for (const n of [1, 2]) {
    const wav = join(tempDir(), `${n}.wav`);
    makeWav(wav, 220 * n, 20);
    tool('flac', ['--silent', '-o', join(music, `${n}.flac`), wav]);
  }
  // The environment a user's shell gives: no LANCEDB_LOG (the test run sets it for its own backends).
  const { LANCEDB_LOG: _, ...env } = process.env;
  let stderr = '';
  served = await serveProcess(tempDir(), {
    env,
    onStderr: (text) => {
      stderr += text;
    },
  });
  const client = new RpcClient(`ws://127.0.0.1:${served.port}/rpc?token=${served.token}`);
  try {
    const finished = new Promise((resolve) => client.on('scan.finished', resolve));
    await client.call('scan.start', { folders: [music] });
    expect(await finished).toMatchObject({ added: 2, failure: null });
    const similar = await client.call('similar.tracks', {
      seeds: { kind: 'ids', ids: [1] },
      limit: 5,
      includeDuplicates: true,
    });
    expect(similar.tracks).toHaveLength(1); // the other track: both are in the similarity table
  } finally {
    client.close();
  }
  expect(stderr).not.toMatch(/WARN|lance/i);
});
