// Plays the queue's current track from /media/:id: a file the browser plays as it is with HTTP Range, so
// seeking asks only for the bytes it needs; any other transcoded by the backend, so seeking asks for the
// stream from that time and the timeline adds where the stream started (its length is the library's). When
// the element fails, the backend's reason is shown (playback-error.ts). Previous/next, auto-advance,
// shuffle and repeat, volume, the queue itself (jump, reorder, remove), a radio that refills with similar
// recordings as it plays, the OS's media keys and now-playing (Media Session, with the cover) and the
// window title. ReplayGain (off, track, album, auto: replay-gain.ts) through Web Audio (element-gains.ts).
//
// Gapless where the browser allows: two <audio> elements take turns. Near the end of a track the other
// one loads what comes next (its first bytes fetched and its decoder set up), and the end of the track
// starts it in the same event, instead of the fetch and decoder start a single element would wait for.
// (Sample-exact joins would need Web Audio, decoding whole tracks into memory.)
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useApp } from '../app-context.tsx';
import { ElementGains } from '../element-gains.ts';
import { formatDuration } from '../format.ts';
import { whyNotPlaying } from '../playback-error.ts';
import {
  advance,
  currentItem,
  cycleRepeat,
  jump,
  move,
  needsRefill,
  previous,
  type Queue,
  type QueueItem,
  radioSeeds,
  refill,
  remove,
  setShuffle,
  upNext,
} from '../queue.ts';
import { queueItem } from '../queue-items.ts';
import { type GainMode, isGainMode, queuedGain } from '../replay-gain.ts';
import { readStored } from '../stored.ts';
import { Icon } from './Icon.tsx';
import { NameForm } from './NameForm.tsx';
import { ReplayGainControl } from './ReplayGainControl.tsx';

export interface PlayerControls {
  toggle(): void;
  seekBy(seconds: number): void;
}

interface Props {
  readonly queue: Queue;
  onQueue(update: (q: Queue) => Queue): void;
}

const VOLUME_KEY = 'sleeve.player.volume';
const GAIN_MODE_KEY = 'sleeve.player.replaygain';
/** Within this many seconds of its start, "previous" goes to the previous track, not back to the start. */
const RESTART_AFTER_S = 3;
/** Similar recordings a radio asks for at a time (some may be queued already). */
const RADIO_BATCH = 20;
const REPEAT_LABEL = { off: 'Repeat: off', all: 'Repeat: all', one: 'Repeat: this track' } as const;
/** Seconds before a track's end at which the next one is loaded. */
const LOAD_AHEAD_S = 20;
/** How close to its end a transcoded track may be sought (see seekTo). */
const END_MARGIN_S = 1;

export const Player = forwardRef<PlayerControls, Props>(function Player({ queue, onQueue }, ref) {
  const { backend, toast, fail } = useApp();
  const first = useRef<HTMLAudioElement>(null);
  const second = useRef<HTMLAudioElement>(null);
  // Which element plays; the other holds the next track once it is loaded ahead (`ahead`: its id).
  const [active, setActive] = useState<0 | 1>(0);
  const activeRef = useRef<0 | 1>(0);
  const ahead = useRef<number | null>(null);
  /** The queue serial whose start a hand-over at a track's end already made. */
  const handedOver = useRef<number | null>(null);
  const element = (which: 0 | 1) => (which === 0 ? first : second).current;
  /** Each element's stream starts this many seconds into its track (non-zero after a transcoded seek). */
  const offsets = useRef<[number, number]>([0, 0]);
  // Stable: the effects below hold them, and they read the refs when called.
  const playing = useCallback(() => (activeRef.current === 0 ? first : second).current, []);
  /** Where an element is in its track. */
  const trackTime = useCallback(
    (a: HTMLAudioElement) => offsets.current[a === first.current ? 0 : 1] + a.currentTime,
    [],
  );
  const queueRef = useRef(queue);
  queueRef.current = queue;
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(true);
  const [volume, setVolume] = useState(() => Number(localStorage.getItem(VOLUME_KEY) ?? '1'));
  const [showQueue, setShowQueue] = useState(false);
  const [gainMode, setGainMode] = useState<GainMode>(() => readStored(GAIN_MODE_KEY, isGainMode, 'auto'));
  const [gains] = useState(() => new ElementGains());
  const track = currentItem(queue);
  const applied = queuedGain(gainMode, queue);

  /** The track's length: the element's for a file played as it is, the library's for a transcoded one. */
  const lengthOf = (item: QueueItem | undefined, a: HTMLAudioElement) =>
    item && !item.transcoded && Number.isFinite(a.duration) ? a.duration : (item?.duration ?? 0);

  const seekTo = (seconds: number) => {
    const a = playing();
    const item = currentItem(queueRef.current);
    if (!a || !item) return;
    const target = Math.max(0, Math.min(seconds, lengthOf(item, a) || seconds));
    if (!item.transcoded) {
      setTime(target);
      a.currentTime = target;
      return;
    }
    // A transcoded stream has no bytes to seek in: it is asked for again from there. Not from its very end:
    // ffmpeg started past the last frame writes nothing, which the element takes for an error; from a
    // second before, the track ends as usual.
    const from = Math.min(target, Math.max(0, (item.duration ?? target) - END_MARGIN_S));
    const resume = !a.paused;
    setTime(from);
    offsets.current[activeRef.current] = from;
    a.src = backend.mediaUrl(item.id, from);
    if (resume) void a.play().catch(() => undefined);
  };
  const seekRef = useRef(seekTo);
  seekRef.current = seekTo;

  const skip = (forward: boolean) => {
    const a = playing();
    if (!forward && a && trackTime(a) > RESTART_AFTER_S) {
      seekTo(0);
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
        const a = playing();
        if (!a || !track) return;
        if (a.paused) void a.play().catch(() => undefined);
        else a.pause();
      },
      seekBy(seconds) {
        const a = playing();
        if (a) seekRef.current(trackTime(a) + seconds);
      },
    }),
    [track, playing, trackTime],
  );

  // The queue says when its current item starts (again): a new one, a jump, the same track played anew.
  // Nothing current: playback stops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the queue's serial, not its object
  useEffect(() => {
    const a = playing();
    if (!a) return;
    const url = track && new URL(backend.mediaUrl(track.id), location.href).href;
    // Started at the last track's end already (unless the queue changed under it meanwhile).
    const started = handedOver.current === queue.serial && a.src === url;
    handedOver.current = null;
    if (started) return;
    if (!url) {
      a.pause();
      a.removeAttribute('src');
      return;
    }
    offsets.current[activeRef.current] = 0;
    a.src = url;
    void a.play().catch(() => undefined);
  }, [queue.serial, backend]);

  useEffect(() => {
    for (const a of [first.current, second.current]) if (a) a.volume = volume;
    localStorage.setItem(VOLUME_KEY, String(volume));
  }, [volume]);

  // The playing element at the current track's gain; the other at what comes next, which it loads ahead
  // and the hand-over starts: set before then, so the next track starts at its own gain.
  useEffect(() => {
    const other = (activeRef.current === 0 ? second : first).current;
    const following = advance(queue, true);
    gains.set(playing()!, queuedGain(gainMode, queue).linear);
    if (other) gains.set(other, following ? queuedGain(gainMode, following).linear : 1);
  }, [queue, gainMode, gains, playing]);
  useEffect(() => localStorage.setItem(GAIN_MODE_KEY, JSON.stringify(gainMode)), [gainMode]);

  /** Near the end of the playing track, the other element loads what comes next (once per track). */
  const loadAhead = (a: HTMLAudioElement) => {
    const next = upNext(queueRef.current);
    const other = element(activeRef.current === 0 ? 1 : 0);
    if (!next || !other || ahead.current === next.id) return;
    if (!(lengthOf(currentItem(queueRef.current), a) - trackTime(a) < LOAD_AHEAD_S)) return;
    ahead.current = next.id;
    offsets.current[activeRef.current === 0 ? 1 : 0] = 0;
    other.src = backend.mediaUrl(next.id);
    other.load();
  };

  /** The playing track ended: the next one starts at once, on the element that loaded it ahead. */
  const ended = () => {
    setPaused(true);
    const next = advance(queueRef.current, true);
    const item = next && currentItem(next);
    const otherIndex = activeRef.current === 0 ? 1 : 0;
    const other = element(otherIndex);
    if (next && item && other && ahead.current === item.id) {
      activeRef.current = otherIndex;
      setActive(otherIndex);
      handedOver.current = next.serial;
      void other.play().catch(() => undefined);
      setTime(other.currentTime);
      setDuration(lengthOf(item, other));
    }
    ahead.current = null;
    onQueue((q) => advance(q, true) ?? q);
  };
  /** Only the playing element speaks for the player; the other one is loading ahead, silently. */
  const fromPlaying = (e: { currentTarget: HTMLAudioElement }) => e.currentTarget === playing();

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
      [
        'play',
        () =>
          void playing()
            ?.play()
            .catch(() => undefined),
      ],
      ['pause', () => playing()?.pause()],
      ['previoustrack', () => skipRef.current(false)],
      ['nexttrack', () => skipRef.current(true)],
      [
        'seekto',
        (d) => {
          if (d.seekTime !== undefined) seekRef.current(d.seekTime);
        },
      ],
    ];
    for (const [action, handler] of handlers) session.setActionHandler(action, handler);
    return () => {
      for (const [action] of handlers) session.setActionHandler(action, null);
    };
  }, [playing]);

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
      {([0, 1] as const).map((which) => (
        // biome-ignore lint/a11y/useMediaCaption: music has no captions to offer
        <audio
          key={which}
          ref={which === 0 ? first : second}
          data-active={which === active ? 'true' : undefined}
          preload="auto"
          // Fetched with CORS: Web Audio hears media from another origin (the desktop shell's) only so.
          crossOrigin="anonymous"
          onTimeUpdate={(e) => {
            if (!fromPlaying(e)) return;
            setTime(trackTime(e.currentTarget));
            loadAhead(e.currentTarget);
          }}
          onDurationChange={(e) => {
            if (fromPlaying(e)) setDuration(lengthOf(track, e.currentTarget));
          }}
          onPlay={(e) => {
            gains.start([first.current!, second.current!]);
            if (fromPlaying(e)) setPaused(false);
          }}
          onPause={(e) => fromPlaying(e) && setPaused(true)}
          onEnded={(e) => fromPlaying(e) && ended()}
          onError={(e) => {
            // Loading ahead failed: the track is loaded again when it starts, and says why then.
            if (!fromPlaying(e)) ahead.current = null;
            else if (track)
              void whyNotPlaying(e.currentTarget.src, backend.client.state === 'open').then((why) =>
                toast('error', `Cannot play “${track.title}”: ${why}`),
              );
          }}
        />
      ))}
      <button type="button" aria-label="Previous" disabled={!track} onClick={() => skip(false)}>
        <Icon name="previous" />
      </button>
      <button
        type="button"
        className="play"
        disabled={!track}
        aria-label={paused ? 'Play' : 'Pause'}
        onClick={() => {
          const a = playing();
          if (a?.paused) void a.play().catch(() => undefined);
          else a?.pause();
        }}
      >
        <Icon name={paused ? 'play' : 'pause'} />
      </button>
      <button
        type="button"
        aria-label="Next"
        disabled={!track || (queue.current + 1 >= queue.items.length && queue.repeat !== 'all')}
        onClick={() => skip(true)}
      >
        <Icon name="next" />
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
        onChange={(e) => seekTo(Number(e.target.value))}
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
        <Icon name="shuffle" />
      </button>
      <button
        type="button"
        aria-label={REPEAT_LABEL[queue.repeat]}
        title={REPEAT_LABEL[queue.repeat]}
        className={queue.repeat !== 'off' ? 'toggled' : ''}
        onClick={() => onQueue(cycleRepeat)}
      >
        <Icon name={queue.repeat === 'one' ? 'repeatOne' : 'repeat'} />
      </button>
      <ReplayGainControl mode={gainMode} applied={track ? applied : null} onMode={setGainMode} />
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
