// Plays a track from /media/:id (HTTP Range, so seeking asks only for the bytes it needs).
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useApp } from '../app-context.tsx';
import { formatDuration } from '../format.ts';

export interface NowPlaying {
  readonly id: number;
  readonly title: string;
  readonly artist: string;
}

export interface PlayerControls {
  toggle(): void;
  seekBy(seconds: number): void;
}

export const Player = forwardRef<PlayerControls, { track: NowPlaying | null }>(function Player(
  { track },
  ref,
) {
  const { backend, toast } = useApp();
  const audio = useRef<HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(true);
  useImperativeHandle(
    ref,
    () => ({
      toggle() {
        const a = audio.current;
        if (!a || !track) return;
        if (a.paused) void a.play().catch(() => undefined);
        else a.pause();
      },
      seekBy(seconds) {
        const a = audio.current;
        if (a && Number.isFinite(a.duration))
          a.currentTime = Math.min(a.duration, Math.max(0, a.currentTime + seconds));
      },
    }),
    [track],
  );
  useEffect(() => {
    const a = audio.current;
    if (!a || !track) return;
    a.src = backend.mediaUrl(track.id);
    void a.play().catch(() => undefined);
  }, [track, backend]);

  return (
    <section className="player" aria-label="Player">
      {/* biome-ignore lint/a11y/useMediaCaption: a music preview has no captions to offer */}
      <audio
        ref={audio}
        preload="metadata"
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onDurationChange={(e) =>
          setDuration(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : 0)
        }
        onPlay={() => setPaused(false)}
        onPause={() => setPaused(true)}
        onEnded={() => setPaused(true)}
        onError={() =>
          track &&
          toast(
            'error',
            `Cannot play “${track.title}”: this browser does not support its format, or the file is gone.`,
          )
        }
      />
      <button
        type="button"
        className="play"
        disabled={!track}
        aria-label={paused ? 'Play' : 'Pause'}
        onClick={() => {
          const a = audio.current;
          if (a?.paused) void a.play().catch(() => undefined);
          else a?.pause();
        }}
      >
        {paused ? '▶' : '❚❚'}
      </button>
      <span className="time">{formatDuration(time)}</span>
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={duration || 0}
        step={0.1}
        value={Math.min(time, duration || 0)}
        disabled={!track || !duration}
        onChange={(e) => {
          const a = audio.current;
          if (a) a.currentTime = Number(e.target.value);
          setTime(Number(e.target.value));
        }}
      />
      <span className="time">{formatDuration(duration)}</span>
      <span className="now-playing" title={track ? `${track.artist} – ${track.title}` : ''}>
        {track ? (
          <>
            <strong>{track.title}</strong> {track.artist && `· ${track.artist}`}
          </>
        ) : (
          'Nothing playing: double-click a track'
        )}
      </span>
    </section>
  );
});
