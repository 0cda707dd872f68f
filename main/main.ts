// The desktop shell: one secure window on the renderer (served from app://sleeve), the backend
// (`sleeve serve`) in a utility process, and the desktop helpers the preload offers. The FUSE daemon
// is started by the backend as a process of its own (fuse/mount-control.ts): it answers opens and writes
// through the mount on its JS thread and must never run inside Electron's main or renderer processes.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Notification,
  protocol,
  screen,
  shell,
  type UtilityProcess,
  utilityProcess,
} from 'electron';
import { DOWNLOAD_PATH, IPC } from '../app/shared/desktop-bridge.ts';
import { saysMigrating } from '../app/shared/migration-notice.ts';
import { SCAN_FLAGS } from '../kit/scan-flags.ts';
import { webContentType } from '../kit/web-content-type.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, appCsp, resolveAppFile } from './app-url.ts';
import { type BackendReady, readyLine } from './backend-ready.ts';
import { DEFAULT_STATE, loadWindowState, onScreen, saveWindowState } from './window-state.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RENDERER_DIR = join(ROOT, 'renderer', 'dist');
const PRELOAD = join(ROOT, 'main', 'dist', 'preload.cjs');
const SLEEVE = join(ROOT, 'app', 'cli', 'sleeve.js');
const BACKEND_TIMEOUT_MS = 30_000;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | null = null;
let backend: UtilityProcess | null = null;

/** Starts `sleeve serve` in a utility process and waits for its announcement. */
function startBackend(): Promise<BackendReady> {
  const args = ['serve', '--json', '--origin', APP_ORIGIN];
  if (process.env.SLEEVE_HOME) args.unshift('--home', process.env.SLEEVE_HOME);
  // With the flags `sleeve serve` starts with (its #! line), so it need not start again to get them.
  const child = utilityProcess.fork(SLEEVE, args, {
    serviceName: 'Sleeve backend',
    stdio: 'pipe',
    execArgv: [...SCAN_FLAGS],
  });
  backend = child;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`the backend did not start within 30 s\n${err}`)),
      BACKEND_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      process.stderr.write(chunk);
      // A large library's migrations may take a minute or more: no deadline then (its exit still ends
      // the wait).
      if (saysMigrating(err)) clearTimeout(timer);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        const ready = readyLine(out);
        if (ready === 'incomplete') return;
        clearTimeout(timer);
        resolve(ready);
      } catch (e) {
        clearTimeout(timer);
        reject(new Error(`the backend's announcement was not understood: ${(e as Error).message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the backend exited (code ${code}) before it was ready\n${err}`));
    });
  });
}

/** app://sleeve/… from the renderer build, with the path checks of app-url.ts and the page's CSP. */
function serveRenderer(ready: BackendReady): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = resolveAppFile(RENDERER_DIR, request.url);
    if ('status' in found) return new Response(found.reason, { status: found.status });
    try {
      const body = await readFile(found.path).catch(async (e: NodeJS.ErrnoException) => {
        // Paths of the one-page app that are not files get the page.
        if (e.code === 'ENOENT' && !found.path.includes('/assets/'))
          return readFile(join(RENDERER_DIR, 'index.html'));
        throw e;
      });
      return new Response(body, {
        headers: {
          'Content-Type': webContentType(extname(found.path) === '' ? '.html' : found.path),
          'Content-Security-Policy': appCsp(ready.origin),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

/** IPC only from our own window's top frame on our own origin. */
function fromOwnWindow(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return (
    window !== null &&
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    // Node's URL gives custom schemes an opaque origin ("null"): compare scheme and host instead.
    isAppUrl(frame.url)
  );
}

function isAppUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

function handleIpc(ready: BackendReady): void {
  // The backend's address and token, asked for synchronously by the preload: never on a command line,
  // where other local users could read them in /proc.
  ipcMain.on(IPC.backend, (event) => {
    const ok =
      window !== null && event.sender === window.webContents && isAppUrl(event.senderFrame?.url ?? '');
    event.returnValue = ok ? { backendUrl: ready.origin, token: ready.token } : null;
  });
  ipcMain.handle(IPC.pickFolder, async (event) => {
    if (!fromOwnWindow(event) || !window) throw new Error('refused: not the app window');
    const picked = await dialog.showOpenDialog(window, { properties: ['openDirectory'] });
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  ipcMain.handle(IPC.revealInFolder, async (event, path: unknown) => {
    if (!fromOwnWindow(event)) throw new Error('refused: not the app window');
    if (typeof path !== 'string' || !isAbsolute(path))
      throw new Error('revealInFolder takes an absolute path');
    // A folder opens in the file manager; a file is only shown in its folder, never opened (it could be
    // an executable or a launcher).
    if ((await stat(path)).isDirectory()) {
      const problem = await shell.openPath(path);
      if (problem) throw new Error(problem);
    } else shell.showItemInFolder(path);
  });
  // An export's link is the backend's, another origin than the app's: a link clicked in the page would be
  // a navigation, which the window refuses. The shell downloads it, asking where to save it.
  ipcMain.handle(IPC.download, (event, path: unknown) => {
    if (!fromOwnWindow(event) || !window) throw new Error('refused: not the app window');
    if (typeof path !== 'string' || !DOWNLOAD_PATH.test(path)) throw new Error('download takes an export');
    window.webContents.downloadURL(`${ready.origin}${path}`);
  });
  ipcMain.handle(IPC.notify, (event, title: unknown, body: unknown) => {
    if (!fromOwnWindow(event)) throw new Error('refused: not the app window');
    if (typeof title !== 'string' || typeof body !== 'string') throw new Error('notify takes two texts');
    if (Notification.isSupported()) new Notification({ title, body }).show();
  });
}

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = onScreen(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...state,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Sleeve',
    webPreferences: {
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  // Nothing navigates away from the app, and no page opens windows; links go to the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const remember = () => {
    const bounds = win.getNormalBounds();
    saveWindowState(stateFile, { ...DEFAULT_STATE, ...bounds, maximized: win.isMaximized() });
  };
  win.on('close', remember);
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // No web content of ours asks for permissions (camera, notifications, …): refuse them all.
  app.on('web-contents-created', (_event, contents) => {
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  await app.whenReady();
  let ready: BackendReady;
  try {
    ready = await startBackend();
  } catch (err) {
    dialog.showErrorBox('Sleeve could not start its backend', (err as Error).message);
    app.exit(1);
    return;
  }
  serveRenderer(ready);
  handleIpc(ready);
  window = createWindow();
  window.on('closed', () => {
    window = null;
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => backend?.kill());
  app.on('activate', () => {
    if (!window) window = createWindow();
  });
}

void start();
