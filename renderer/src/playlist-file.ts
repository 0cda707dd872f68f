// A playlist as an M3U8 file: one the user picked imported as a new list named after it (what could not
// be placed is in the report), and a list or smart playlist saved as one (a download).
import type { PlaylistInfo, Result } from '../../app/shared/rpc-contract.ts';
import type { RpcClient } from './rpc-client.ts';
import { MAX_UPLOAD_BYTES, toBase64 } from './upload.ts';

/** The import's report, or a reason it cannot be made here. */
export async function importPlaylistFile(
  client: RpcClient,
  file: File,
): Promise<Result<'playlists.import'> | { tooLarge: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > MAX_UPLOAD_BYTES)
    return { tooLarge: `${file.name} is too large to import here: use sleeve playlist import.` };
  return client.call('playlists.import', {
    name: file.name.replace(/\.m3u8?$/i, ''),
    base64: toBase64(bytes),
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
