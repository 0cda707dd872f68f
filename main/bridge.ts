// The object the preload exposes as `window.sleeve`: exactly the DesktopBridge keys. Pure (the preload
// passes Electron's ipcRenderer.invoke in), so its surface is unit-tested. The backend's URL and token
// arrive as command-line switches the main process adds to the renderer (additionalArguments).
import { BRIDGE_KEYS, type DesktopBridge, IPC } from '../app/shared/desktop-bridge.ts';

export const BACKEND_SWITCH = '--sleeve-backend=';
export const TOKEN_SWITCH = '--sleeve-token=';

type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

function switchValue(argv: readonly string[], prefix: string): string {
  const found = argv.find((a) => a.startsWith(prefix));
  if (!found) throw new Error(`the window was started without ${prefix.slice(0, -1)}`);
  return found.slice(prefix.length);
}

export function createBridge(argv: readonly string[], invoke: Invoke): DesktopBridge {
  const bridge: DesktopBridge = {
    backendUrl: switchValue(argv, BACKEND_SWITCH),
    token: switchValue(argv, TOKEN_SWITCH),
    pickFolder: async () => {
      const picked = await invoke(IPC.pickFolder);
      return typeof picked === 'string' ? picked : null;
    },
    revealInFolder: async (path: string) => {
      if (typeof path !== 'string' || path === '') throw new TypeError('revealInFolder takes a path');
      await invoke(IPC.revealInFolder, path);
    },
  };
  // Nothing but the contract's keys may cross into the page.
  if (Object.keys(bridge).join() !== BRIDGE_KEYS.join())
    throw new Error('bridge keys drifted from BRIDGE_KEYS');
  return Object.freeze(bridge);
}
