// Where the backend is and how to prove we may use it. In a browser the page came from the backend (the
// token arrived in the URL and as a cookie); the desktop shell's preload hands both over instead.
import type { DesktopBridge } from '../../app/shared/desktop-bridge.ts';
import { RpcClient } from './rpc-client.ts';

export interface Backend {
  readonly client: RpcClient;
  /** URL of a track's audio, playable by an <audio> element: Range requests seek in a file served as it is;
   *  a transcoded one starts `start` seconds in (app/server/media.ts). */
  mediaUrl(id: number, start?: number): string;
  artUrl(hash: string): string;
  /** Saves a download the backend made ready (an export's /export/ID, its own credential) as `name`. */
  download(path: string, name: string): Promise<void>;
  /** Sends a file to import (POST /upload); its upload's id, or an error with the backend's reason. */
  upload(file: Blob): Promise<string>;
}

/** The desktop shell's helpers, when running inside it (null in a plain browser). */
export const desktop: DesktopBridge | null = (globalThis as { sleeve?: DesktopBridge }).sleeve ?? null;

const TOKEN_KEY = 'sleeve.token';

export function connectBackend(): Backend {
  const bridge = desktop;
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Out of the address bar, history and any screenshot; the cookie and sessionStorage keep it.
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  // The backend also writes it into the page it serves (for a tab opened on the bare URL).
  const fromPage = document.querySelector<HTMLMetaElement>('meta[name="sleeve-token"]')?.content;
  const token = bridge?.token ?? fromUrl ?? fromPage ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const base = new URL(bridge?.backendUrl ?? location.origin);
  const withToken = (path: string) => {
    const url = new URL(path, base);
    if (token) url.searchParams.set('token', token);
    return url.toString();
  };
  const ws = new URL(withToken('/rpc'));
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    client: new RpcClient(ws.toString()),
    mediaUrl: (id, start = 0) => withToken(`/media/${id}${start > 0 ? `?start=${start.toFixed(3)}` : ''}`),
    artUrl: (hash) => withToken(`/art/${hash}`),
    async download(path, name) {
      // The desktop shell's page is another origin than the backend's, where a link would be a navigation.
      if (bridge) return bridge.download(path);
      const a = document.createElement('a');
      a.href = new URL(path, base).toString();
      a.download = name;
      a.click();
    },
    async upload(file) {
      // As text/plain: a request the desktop shell's page may send to the backend's origin unasked.
      const res = await fetch(withToken('/upload'), {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': 'text/plain' },
      });
      if (!res.ok) throw new Error((await res.text()).trim() || `the upload failed (${res.status})`);
      return ((await res.json()) as { upload: string }).upload;
    },
  };
}
