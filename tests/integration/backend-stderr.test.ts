// What the backend (`sleeve serve`, as the desktop shell starts it) writes to stderr while it scans: not
// LanceDB's warnings. LanceDB reads LANCEDB_LOG from the process's environment when it loads, which a
// backend does on its scan's thread, whose process.env is a copy no native code sees: the launcher sets it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RpcClient } from '../../renderer/src/rpc-client.ts';
import { makeWav } from '../fixtures/library.ts';
import { CLI, tempDir, tool } from '../helpers.ts';

const children: Array<{ kill(): void }> = [];
afterAll(() => {
  for (const child of children) child.kill();
});

it('scans on its thread, embeddings written to a new similarity table, and says nothing of LanceDB', async () => {
  const music = tempDir();
  for (const n of [1, 2]) {
    const wav = join(tempDir(), `${n}.wav`);
    makeWav(wav, 220 * n, 20);
    tool('flac', ['--silent', '-o', join(music, `${n}.flac`), wav]);
  }
  // The environment a user's shell gives: no LANCEDB_LOG (the test run sets it for its own backends).
  const { LANCEDB_LOG: _, ...env } = process.env;
  const child = spawn(process.execPath, [CLI, '--home', tempDir(), 'serve', '--json', '--no-ui'], { env });
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const { port, token } = JSON.parse(
    await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(String(d)))),
  ) as { port: number; token: string };
  const client = new RpcClient(`ws://127.0.0.1:${port}/rpc?token=${token}`);
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
