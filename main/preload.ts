// The preload: runs sandboxed with context isolation, and exposes only the desktop bridge. Bundled into
// one CommonJS file (main/build.ts): sandboxed preloads cannot import other modules.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC } from '../app/shared/desktop-bridge.ts';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(
  'sleeve',
  createBridge(ipcRenderer.sendSync(IPC.backend), (channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
