// The backend as the desktop shell starts it: `sleeve serve --json --origin app://sleeve` announces itself
// with the line the main process parses (readyLine), and accepts the app:// page's origin, no other, and
// lets it read media.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BackendReady, readyLine } from '../../main/backend-ready.ts';
import { sleeve, tempDir } from '../helpers.ts';

const CLI = join(import.meta.dirname, '../../app/cli/sleeve.js');

function connect(ready: BackendReady, origin: string): Promise<'open' | number> {
  const ws = new WebSocket(`ws://127.0.0.1:${ready.port}/rpc?token=${ready.token}`, { origin });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('the desktop backend', () => {
  let child: ChildProcess;
  let ready: BackendReady;
  const home = join(tempDir(), 'home');

  beforeAll(async () => {
    child = spawn(process.execPath, [CLI, '--home', home, 'serve', '--json', '--origin', 'app://sleeve'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    ready = await new Promise<BackendReady>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const r = readyLine(out);
        if (r !== 'incomplete') resolve(r);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
  });

  afterAll(() => {
    child?.kill();
  });

  it('announces its address and token in one line the shell understands', () => {
    expect(ready.origin).toBe(`http://127.0.0.1:${ready.port}`);
    expect(ready.token.length).toBeGreaterThanOrEqual(40);
  });

  it("accepts the app page's origin and its own, and refuses others", async () => {
    expect(await connect(ready, 'app://sleeve')).toBe('open');
    expect(await connect(ready, ready.origin)).toBe('open');
    expect(await connect(ready, 'app://evil')).toBe(403);
    expect(await connect(ready, 'http://localhost:1')).toBe(403);
  });

  it("lets the app page read media (the player's Web Audio needs CORS), and no other origin", async () => {
    const media = (origin: string) =>
      fetch(`${ready.origin}/media/999?token=${ready.token}`, { headers: { origin } });
    const fromApp = await media('app://sleeve');
    expect(fromApp.status).toBe(404);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('app://sleeve');
    const fromOther = await media('http://localhost:1');
    expect(fromOther.status).toBe(403);
    expect(fromOther.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an --origin that is not an origin', () => {
    const r = sleeve(home, ['serve', '--origin', 'app://sleeve/path']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not an origin');
  });
});
