// The object the preload exposes as `window.sleeve`: exactly the DesktopBridge keys. Pure (the preload
// passes in what the main process answered for the backend, and Electron's ipcRenderer.invoke), so its
// surface is unit-tested.
import { type DesktopBridge, DOWNLOAD_PATH, IPC } from '../app/shared/desktop-bridge.ts';

type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/** `backend` is the main process's answer: null when it refused this frame. */
export function createBridge(backend: unknown, invoke: Invoke): DesktopBridge {
  const b = backend as { backendUrl?: unknown; token?: unknown } | null;
  if (typeof b?.backendUrl !== 'string' || typeof b.token !== 'string')
    throw new Error('the main process did not give this window the backend');
  const bridge: DesktopBridge = {
    backendUrl: b.backendUrl,
    token: b.token,
    pickFolder: async () => {
      const picked = await invoke(IPC.pickFolder);
      return typeof picked === 'string' ? picked : null;
    },
    revealInFolder: async (path: string) => {
      if (typeof path !== 'string' || path === '') throw new TypeError('revealInFolder takes a path');
      await invoke(IPC.revealInFolder, path);
    },
    notify: async (title: string, body: string) => {
      if (typeof title !== 'string' || typeof body !== 'string')
        throw new TypeError('notify takes two texts');
      await invoke(IPC.notify, title.slice(0, 200), body.slice(0, 1000));
    },
    download: async (path: string) => {
      if (typeof path !== 'string' || !DOWNLOAD_PATH.test(path))
        throw new TypeError('download takes an export');
      await invoke(IPC.download, path);
    },
  };
  return Object.freeze(bridge);
}
