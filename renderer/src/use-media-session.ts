// What plays, told to the window and the OS: the window title, and the OS's now-playing (Media Session:
// title, artist, album and the cover when the track has one) with its media keys.
import { type RefObject, useEffect } from 'react';
import { useApp } from './app-context.tsx';
import type { QueueItem } from './queue.ts';

/** The window title and the OS's now-playing for `track` (none: the title alone). */
export function useNowPlaying(track: QueueItem | undefined, paused: boolean): void {
  const { backend } = useApp();
  useEffect(() => {
    document.title = track
      ? `${paused ? '❚❚' : '▶'} ${track.title}${track.artist ? ` — ${track.artist}` : ''} · Sleeve`
      : 'Sleeve';
  }, [track, paused]);
  useEffect(() => {
    const session = 'mediaSession' in navigator ? navigator.mediaSession : undefined;
    if (!session || !track) return;
    let live = true;
    const describe = (artwork: MediaImage[]) =>
      new MediaMetadata({ title: track.title, artist: track.artist, album: track.album, artwork });
    session.metadata = describe([]);
    backend.client.call('track.details', { id: track.id }).then(
      (d) => {
        const cover = d.art.find((p) => p.type === 3) ?? d.art[0];
        if (live && cover)
          session.metadata = describe([{ src: backend.artUrl(cover.hash), type: cover.mime }]);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [track, backend]);
}

export interface PlayerKeys {
  play(): void;
  pause(): void;
  skip(forward: boolean): void;
  seekTo(seconds: number): void;
  toggle(): void;
}

/** The OS's media keys, for as long as the player is there. Read through a ref: the handlers are set
 *  once, and call what the player does now. */
export function useMediaKeys(keys: RefObject<PlayerKeys>): void {
  useEffect(() => {
    const session = 'mediaSession' in navigator ? navigator.mediaSession : undefined;
    if (!session) return;
    const handlers: Array<[MediaSessionAction, MediaSessionActionHandler]> = [
      ['play', () => keys.current.play()],
      ['pause', () => keys.current.pause()],
      ['previoustrack', () => keys.current.skip(false)],
      ['nexttrack', () => keys.current.skip(true)],
      [
        'seekto',
        (d) => {
          if (d.seekTime !== undefined) keys.current.seekTo(d.seekTime);
        },
      ],
    ];
    for (const [action, handler] of handlers) session.setActionHandler(action, handler);
    return () => {
      for (const [action] of handlers) session.setActionHandler(action, null);
    };
  }, [keys]);
}
