// What the desktop shell's preload exposes to the renderer as `window.sleeve`, and nothing more: where
// the backend is, its token, and four desktop helpers. Pure types plus the list the preload test checks.

export interface DesktopBridge {
  readonly backendUrl: string;
  readonly token: string;
  /** A native folder chooser; null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Opens the file manager at this path (a folder is opened, a file is shown in its folder). */
  revealInFolder(path: string): Promise<void>;
  /** A notification from the operating system (a long scan finished, watched folders took in files). */
  notify(title: string, body: string): Promise<void>;
  /** Saves a download the backend made ready (an export's `/export/ID`) where the user chooses. */
  download(path: string): Promise<void>;
}

/** The downloads the bridge asks for: an export's link (export-links in app/server/tags-text-handlers.ts). */
export const DOWNLOAD_PATH = /^\/export\/[0-9a-f-]{36}$/;

export const BRIDGE_KEYS = [
  'backendUrl',
  'token',
  'pickFolder',
  'revealInFolder',
  'notify',
  'download',
] as const satisfies ReadonlyArray<keyof DesktopBridge>;

/** IPC channels between the preload and the main process. */
export const IPC = {
  /** Synchronous: the backend's address and token, for the preload only. */
  backend: 'sleeve:backend',
  pickFolder: 'sleeve:pick-folder',
  revealInFolder: 'sleeve:reveal-in-folder',
  notify: 'sleeve:notify',
  download: 'sleeve:download',
} as const;
