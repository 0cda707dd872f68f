// The preload: runs sandboxed with context isolation, and exposes only the desktop bridge. Bundled into
// one CommonJS file (main/build.ts): sandboxed preloads cannot import other modules.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(
  'sleeve',
  createBridge(process.argv, (channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
