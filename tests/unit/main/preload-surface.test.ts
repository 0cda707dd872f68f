// The preload's surface: the bundled preload is run as Electron would run it (CommonJS, only `electron`
// to require), and what it hands contextBridge is checked key by key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_KEYS, type DesktopBridge, IPC } from '../../../app/shared/desktop-bridge.ts';
import { createBridge } from '../../../main/bridge.ts';
import { buildPreload } from '../../../main/build.ts';

const BACKEND = { backendUrl: 'http://127.0.0.1:5000', token: 'abc123' };

describe('the preload', () => {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const asked: string[] = [];

  beforeAll(async () => {
    await buildPreload();
    const code = readFileSync(join(import.meta.dirname, '../../../main/dist/preload.cjs'), 'utf8');
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        sendSync: (channel: string) => {
          asked.push(channel);
          return BACKEND;
        },
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve(args[0] === IPC.pickFolder ? '/music' : undefined);
        },
      },
    };
    const module = { exports: {} };
    const required: string[] = [];
    const require = (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    runInNewContext(code, { module, exports: module.exports, require });
    expect(required).toEqual(['electron']);
    expect(asked).toEqual([IPC.backend]);
  }, 60_000);

  it('exposes one object, window.sleeve, with exactly the bridge keys', () => {
    expect([...exposed.keys()]).toEqual(['sleeve']);
    const bridge = exposed.get('sleeve') as DesktopBridge;
    expect(Object.keys(bridge)).toEqual([...BRIDGE_KEYS]);
    expect(BRIDGE_KEYS).toEqual([
      'backendUrl',
      'token',
      'pickFolder',
      'revealInFolder',
      'notify',
      'download',
    ]);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge.backendUrl).toBe('http://127.0.0.1:5000');
    expect(bridge.token).toBe('abc123');
  });

  it('reaches the main process only through its four channels, with checked arguments', async () => {
    const bridge = exposed.get('sleeve') as DesktopBridge;
    const exported = '/export/0b6f5c1e-2a8d-4c3b-9e7f-1d2c3b4a5f60';
    expect(await bridge.pickFolder()).toBe('/music');
    await bridge.revealInFolder('/mnt/sleeve');
    await bridge.notify('Scan finished', 'x'.repeat(2000));
    await bridge.download(exported);
    expect(invoked).toEqual([
      [IPC.pickFolder],
      [IPC.revealInFolder, '/mnt/sleeve'],
      [IPC.notify, 'Scan finished', 'x'.repeat(1000)],
      [IPC.download, exported],
    ]);
    await expect(bridge.revealInFolder(42 as unknown as string)).rejects.toThrow('takes a path');
    await expect(bridge.notify('t', 1 as unknown as string)).rejects.toThrow('two texts');
    // Only an export's link: never another address of the backend, nor another site.
    await expect(bridge.download('/media/1')).rejects.toThrow('takes an export');
    await expect(bridge.download('https://example.com/export/x')).rejects.toThrow('takes an export');
    expect(invoked).toHaveLength(4);
  });

  it('refuses to start when the main process gave no backend, and treats odd answers as no folder', () => {
    expect(() => createBridge(null, async () => undefined)).toThrow('did not give this window the backend');
    expect(() => createBridge({ backendUrl: 1, token: 'x' }, async () => undefined)).toThrow();
    const bridge = createBridge(BACKEND, async () => 42);
    return expect(bridge.pickFolder()).resolves.toBeNull(); // a non-path answer is no folder
  });
});
