// The Playlists view's data: every playlist, and the open one's tracks (the first SHOWN of them), read
// again when the library or a playlist changes.
import { useEffect, useState } from 'react';
import type { PlaylistInfo, Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { RpcCallError } from './rpc-client.ts';

/** Tracks shown of an open playlist (all of them are played). */
export const SHOWN = 500;

export function usePlaylists(openId: number | null) {
  const { backend, fail, libraryVersion } = useApp();
  const { client } = backend;
  const [playlists, setPlaylists] = useState<PlaylistInfo[] | null>(null);
  const [tracks, setTracks] = useState<Result<'playlists.tracks'> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library or a playlist changes
  useEffect(() => {
    let live = true;
    client.call('playlists.list', {}).then((r) => live && setPlaylists(r.playlists), fail);
    return () => {
      live = false;
    };
  }, [client, fail, libraryVersion]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library or a playlist changes
  useEffect(() => {
    if (openId === null) return;
    let live = true;
    client.call('playlists.tracks', { id: openId, offset: 0, limit: SHOWN }).then(
      (r) => live && setTracks(r),
      // Removed meanwhile (the removal's change reaches here before its answer closes the list): nothing
      // to say, the removal says it.
      (err: unknown) => !(err instanceof RpcCallError && err.code === 'not_found') && fail(err),
    );
    return () => {
      live = false;
    };
  }, [client, fail, openId, libraryVersion]);
  return { playlists, tracks };
}
