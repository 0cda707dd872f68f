// A playlist as an M3U8 file: one the user picked imported as a new list named after it (what could not
// be placed is in the report), and a list or smart playlist saved as one (a download).
import type { PlaylistInfo, Result } from '../../app/shared/rpc-contract.ts';
import type { Backend } from './backend.ts';
import type { RpcClient } from './rpc-client.ts';

/** The import's report (the file sent to the backend, which reads it as `sleeve playlist import` does). */
export async function importPlaylistFile(backend: Backend, file: File): Promise<Result<'playlists.import'>> {
  return backend.client.call('playlists.import', {
    name: file.name.replace(/\.m3u8?$/i, ''),
    upload: await backend.upload(file),
  });
}

export async function exportPlaylistFile(client: RpcClient, p: PlaylistInfo): Promise<void> {
  const { name, text } = await client.call('playlists.export', { id: p.id });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'audio/x-mpegurl' }));
  link.download = `${name.replace(/[/\\]/g, '_')}.m3u8`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
