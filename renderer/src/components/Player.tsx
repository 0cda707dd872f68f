// Plays the queue's current track from /media/:id (HTTP Range, so seeking asks only for the bytes it
// needs): previous/next, auto-advance, shuffle and repeat, volume, the queue itself (jump, reorder,
// remove), a radio that refills with similar recordings as it plays, the OS's media keys and now-playing
// (Media Session, with the cover) and the window title.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useApp } from '../app-context.tsx';
import { formatDuration } from '../format.ts';
import {
  advance,
  currentItem,
  cycleRepeat,
  jump,
  move,
  needsRefill,
  previous,
  type Queue,
  radioSeeds,
  refill,
  remove,
  setShuffle,
} from '../queue.ts';
import { queueItem } from '../queue-items.ts';
import { NameForm } from './NameForm.tsx';

export interface PlayerControls {
  toggle(): void;
  seekBy(seconds: number): void;
}

interface Props {
  readonly queue: Queue;
  onQueue(update: (q: Queue) => Queue): void;
}

const VOLUME_KEY = 'sleeve.player.volume';
/** Within this many seconds of its start, "previous" goes to the previous track, not back to the start. */
const RESTART_AFTER_S = 3;
/** Similar recordings a radio asks for at a time (some may be queued already). */
const RADIO_BATCH = 20;
const REPEAT_LABEL = { off: 'Repeat: off', all: 'Repeat: all', one: 'Repeat: this track' } as const;

export const Player = forwardRef<PlayerControls, Props>(function Player({ queue, onQueue }, ref) {
  const { backend, toast, fail } = useApp();
  const audio = useRef<HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(true);
  const [volume, setVolume] = useState(() => Number(localStorage.getItem(VOLUME_KEY) ?? '1'));
  const [showQueue, setShowQueue] = useState(false);
  const track = currentItem(queue);

  const skip = (forward: boolean) => {
    const a = audio.current;
    if (!forward && a && a.currentTime > RESTART_AFTER_S) {
      a.currentTime = 0;
      return;
    }
    onQueue((q) => (forward ? (advance(q, false) ?? q) : previous(q)));
  };
  const skipRef = useRef(skip);
  skipRef.current = skip;

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

  // The queue says when its current item starts (again): a new one, a jump, the same track played anew.
  // Nothing current: playback stops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the queue's serial, not its object
  useEffect(() => {
    const a = audio.current;
    if (!a) return;
    if (!track) {
      a.pause();
      a.removeAttribute('src');
      return;
    }
    a.src = backend.mediaUrl(track.id);
    void a.play().catch(() => undefined);
  }, [queue.serial, backend]);

  useEffect(() => {
    if (audio.current) audio.current.volume = volume;
    localStorage.setItem(VOLUME_KEY, String(volume));
  }, [volume]);

  // The window title and the OS's now-playing: what plays, with its cover when it has one.
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
  useEffect(() => {
    const session = 'mediaSession' in navigator ? navigator.mediaSession : undefined;
    if (!session) return;
    const handlers: Array<[MediaSessionAction, MediaSessionActionHandler]> = [
      ['play', () => void audio.current?.play().catch(() => undefined)],
      ['pause', () => audio.current?.pause()],
      ['previoustrack', () => skipRef.current(false)],
      ['nexttrack', () => skipRef.current(true)],
      [
        'seekto',
        (d) => {
          if (audio.current && d.seekTime !== undefined) audio.current.currentTime = d.seekTime;
        },
      ],
    ];
    for (const [action, handler] of handlers) session.setActionHandler(action, handler);
    return () => {
      for (const [action] of handlers) session.setActionHandler(action, null);
    };
  }, []);

  // A radio asks for recordings like the last ones played when it runs low, once per set of seeds; what
  // comes back joins the queue only if that radio still plays.
  const asked = useRef<{ radio: Queue['radio']; key: string }>({ radio: null, key: '' });
  useEffect(() => {
    const radio = queue.radio;
    if (!radio || !needsRefill(queue)) return;
    const seeds = radioSeeds(queue);
    const key = seeds.join();
    if (asked.current.radio === radio && asked.current.key === key) return;
    asked.current = { radio, key };
    backend.client
      .call('similar.tracks', {
        seeds: { kind: 'ids', ids: seeds },
        limit: RADIO_BATCH,
        includeDuplicates: false,
      })
      .then(
        (r) =>
          onQueue((q) =>
            q.radio === radio
              ? refill(
                  q,
                  r.tracks.map(({ track: t }) => queueItem(t)),
                )
              : q,
          ),
        fail,
      );
  }, [queue, backend, onQueue, fail]);

  return (
    <section className="player" aria-label="Player">
      {/* biome-ignore lint/a11y/useMediaCaption: music has no captions to offer */}
      <audio
        ref={audio}
        preload="auto"
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onDurationChange={(e) =>
          setDuration(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : 0)
        }
        onPlay={() => setPaused(false)}
        onPause={() => setPaused(true)}
        onEnded={() => {
          setPaused(true);
          onQueue((q) => advance(q, true) ?? q);
        }}
        onError={() =>
          track &&
          toast(
            'error',
            `Cannot play “${track.title}”: this browser does not support its format, or the file is gone.`,
          )
        }
      />
      <button type="button" aria-label="Previous" disabled={!track} onClick={() => skip(false)}>
        ⏮
      </button>
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
      <button
        type="button"
        aria-label="Next"
        disabled={!track || (queue.current + 1 >= queue.items.length && queue.repeat !== 'all')}
        onClick={() => skip(true)}
      >
        ⏭
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
            {queue.radio && <span className="badge">radio: {queue.radio.label}</span>}
          </>
        ) : (
          'Nothing playing: double-click a track'
        )}
      </span>
      <button
        type="button"
        aria-label="Shuffle"
        aria-pressed={queue.shuffle}
        className={queue.shuffle ? 'toggled' : ''}
        onClick={() => onQueue((q) => setShuffle(q, !q.shuffle))}
      >
        🔀
      </button>
      <button
        type="button"
        aria-label={REPEAT_LABEL[queue.repeat]}
        title={REPEAT_LABEL[queue.repeat]}
        className={queue.repeat !== 'off' ? 'toggled' : ''}
        onClick={() => onQueue(cycleRepeat)}
      >
        {queue.repeat === 'one' ? '🔂' : '🔁'}
      </button>
      <input
        type="range"
        className="volume"
        aria-label="Volume"
        min={0}
        max={1}
        step={0.05}
        value={volume}
        onChange={(e) => setVolume(Number(e.target.value))}
      />
      <button
        type="button"
        aria-label="Queue"
        aria-expanded={showQueue}
        onClick={() => setShowQueue((s) => !s)}
      >
        ☰ {queue.items.length > 0 ? queue.items.length : ''}
      </button>
      {showQueue && <QueuePanel queue={queue} onQueue={onQueue} />}
    </section>
  );
});

function QueuePanel({ queue, onQueue }: Props) {
  const { backend, toast, fail } = useApp();
  const [saving, setSaving] = useState(false);
  return (
    <div className="queue-panel" role="dialog" aria-label="Play queue">
      {queue.items.length === 0 && <div className="empty">The queue is empty.</div>}
      {queue.items.length > 0 &&
        (saving ? (
          <NameForm
            label="Playlist name"
            action="Save playlist"
            onCancel={() => setSaving(false)}
            onSave={(name) =>
              backend.client
                .call('playlists.create', { name, from: { kind: 'ids', ids: queue.items.map((i) => i.id) } })
                .then((p) => {
                  setSaving(false);
                  toast('info', `Saved the queue as the playlist “${p.name}” (${p.tracks} tracks).`);
                }, fail)
            }
          />
        ) : (
          <button type="button" className="link" onClick={() => setSaving(true)}>
            Save the queue as a playlist…
          </button>
        ))}
      <ol aria-label="Queue">
        {queue.items.map((item, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a track can be queued twice; its place tells them apart
            key={`${item.id}:${i}`}
            className={i === queue.current ? 'current' : i < queue.current ? 'played' : ''}
          >
            <button type="button" className="link" onClick={() => onQueue((q) => jump(q, i))}>
              {item.title}
            </button>
            <span className="dim"> {item.artist}</span>
            <span className="queue-actions">
              <button
                type="button"
                aria-label={`Move ${item.title} up`}
                disabled={i === 0}
                onClick={() => onQueue((q) => move(q, i, i - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${item.title} down`}
                disabled={i === queue.items.length - 1}
                onClick={() => onQueue((q) => move(q, i, i + 1))}
              >
                ↓
              </button>
              <button
                type="button"
                aria-label={`Remove ${item.title}`}
                onClick={() => onQueue((q) => remove(q, i))}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
