// Plays the queue's current track from /media/:id: a file the browser plays as it is with HTTP Range, so
// seeking asks only for the bytes it needs; any other transcoded by the backend, so seeking asks for the
// stream from that time and the timeline adds where the stream started (its length is the library's). When
// the element fails, the backend's reason is shown (playback-error.ts). Previous/next, auto-advance,
// shuffle and repeat, volume, the queue itself (jump, reorder, remove), a radio that refills with similar
// recordings as it plays, the OS's media keys and now-playing (Media Session, with the cover) and the
// window title. ReplayGain (off, track, album, auto: replay-gain.ts) through Web Audio (element-gains.ts).
// Gapless where the browser allows: two elements take turns (use-element-pair.ts).
import {
  type ForwardedRef,
  forwardRef,
  type RefObject,
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import { useApp } from '../app-context.tsx';
import { formatDuration } from '../format.ts';
import { whyNotPlaying } from '../playback-error.ts';
import {
  advance,
  currentItem,
  cycleRepeat,
  jump,
  move,
  previous,
  type Queue,
  type QueueItem,
  remove,
  setShuffle,
} from '../queue.ts';
import { useDismiss } from '../use-dismiss.ts';
import { lengthOf, playQuietly, seekPlaying, useElementPair, useHandOver } from '../use-element-pair.ts';
import { type PlayerKeys, useMediaKeys, useNowPlaying } from '../use-media-session.ts';
import { usePlayerGains } from '../use-player-gains.ts';
import { useRadioRefill } from '../use-radio-refill.ts';
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

/** Within this many seconds of its start, "previous" goes to the previous track, not back to the start. */
const RESTART_AFTER_S = 3;
const REPEAT_LABEL = { off: 'Repeat: off', all: 'Repeat: all', one: 'Repeat: this track' } as const;

/** The queue says when its current item starts (again): a new one, a jump, the same track played anew.
 *  Nothing current: playback stops. */
function useStartOnQueue(
  pair: ReturnType<typeof useElementPair>,
  queue: Queue,
  handOver: ReturnType<typeof useHandOver>,
) {
  const { backend } = useApp();
  const { playing } = pair;
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the queue's serial, not its object
  useEffect(() => {
    const a = playing();
    if (!a) return;
    const track = currentItem(queue);
    const url = track && new URL(backend.mediaUrl(track.id), location.href).href;
    // Started at the last track's end already (unless the queue changed under it meanwhile).
    if (handOver.startedBy(queue.serial) && a.src === url) return;
    if (!url) {
      a.pause();
      a.removeAttribute('src');
      return;
    }
    pair.startsAt('playing', 0);
    a.src = url;
    playQuietly(a);
  }, [queue.serial, backend]);
}

/** Seeking, skipping and play/pause of what plays, as the transport, the OS's media keys and the app's
 *  shortcuts (`ref`) ask for them; `onSeeked`: the time a seek went to. */
function usePlayerControls(
  ref: ForwardedRef<PlayerControls>,
  pair: ReturnType<typeof useElementPair>,
  queueRef: RefObject<Queue>,
  onQueue: Props['onQueue'],
  onSeeked: (at: number) => void,
) {
  const { backend } = useApp();
  const { playing, trackTime } = pair;
  const seekTo = (seconds: number) => {
    const at = seekPlaying(pair, currentItem(queueRef.current), seconds, backend.mediaUrl);
    if (at !== undefined) onSeeked(at);
  };
  const skip = (forward: boolean) => {
    const a = playing();
    if (!forward && a && trackTime(a) > RESTART_AFTER_S) seekTo(0);
    else onQueue((q) => (forward ? (advance(q, false) ?? q) : previous(q)));
  };
  const toggle = () => {
    const a = playing();
    if (!a || !currentItem(queueRef.current)) return;
    if (a.paused) playQuietly(a);
    else a.pause();
  };
  const keys = useRef<PlayerKeys>(null!);
  keys.current = {
    play: () => playQuietly(playing()),
    pause: () => playing()?.pause(),
    skip,
    seekTo,
    toggle,
  };
  useImperativeHandle(
    ref,
    () => ({
      toggle: () => keys.current.toggle(),
      seekBy(seconds) {
        const a = playing();
        if (a) keys.current.seekTo(trackTime(a) + seconds);
      },
    }),
    [playing, trackTime],
  );
  return { seekTo, skip, toggle, keys };
}

export const Player = forwardRef<PlayerControls, Props>(function Player({ queue, onQueue }, ref) {
  const { backend, toast } = useApp();
  const pair = useElementPair();
  const { playing, trackTime } = pair;
  const queueRef = useRef(queue);
  queueRef.current = queue;
  const handOver = useHandOver(pair, queueRef, backend.mediaUrl, onQueue);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(true);
  const [showQueue, setShowQueue] = useState(false);
  const closeQueue = useCallback(() => setShowQueue(false), []);
  const section = useRef<HTMLElement>(null);
  useDismiss(section, closeQueue, showQueue);
  const { volume, setVolume, gainMode, setGainMode, applied, gains } = usePlayerGains(queue, pair);
  const track = currentItem(queue);
  const { seekTo, skip, toggle, keys } = usePlayerControls(ref, pair, queueRef, onQueue, setTime);

  useStartOnQueue(pair, queue, handOver);

  const ended = () => {
    setPaused(true);
    const started = handOver.ended();
    if (started) {
      setTime(started.element.currentTime);
      setDuration(lengthOf(started.item, started.element));
    }
  };

  useNowPlaying(track, paused);
  useMediaKeys(keys);
  useRadioRefill(queue, onQueue);

  return (
    <section className="player" aria-label="Player" ref={section}>
      <AudioPair
        elements={pair.elements}
        active={pair.active}
        current={playing}
        onAnyPlay={() => gains.start([pair.playing()!, pair.waiting()!])}
        onAheadFailed={handOver.aheadFailed}
        playing={{
          time: (a) => {
            setTime(trackTime(a));
            handOver.loadAhead(a);
          },
          duration: (a) => setDuration(lengthOf(track, a)),
          paused: setPaused,
          ended,
          failed: (a) => {
            if (track)
              void whyNotPlaying(a.src, backend.client.state === 'open').then((why) =>
                toast('error', `Cannot play “${track.title}”: ${why}`),
              );
          },
        }}
      />
      <Transport
        track={track}
        queue={queue}
        paused={paused}
        time={time}
        duration={duration}
        onSkip={skip}
        onToggle={toggle}
        onSeek={seekTo}
      />
      <PlayerOptions
        queue={queue}
        onQueue={onQueue}
        gain={{ mode: gainMode, applied: track ? applied : null, onMode: setGainMode }}
        volume={volume}
        onVolume={setVolume}
        showQueue={showQueue}
        onShowQueue={setShowQueue}
      />
      {showQueue && <QueuePanel queue={queue} onQueue={onQueue} />}
    </section>
  );
});

interface AudioPairProps {
  readonly elements: readonly [RefObject<HTMLAudioElement | null>, RefObject<HTMLAudioElement | null>];
  /** Which one plays; the other loads ahead. */
  readonly active: 0 | 1;
  /** The one playing now (read when an event comes: it changes at a track's end before a render). */
  current(): HTMLAudioElement | null;
  onAnyPlay(): void;
  onAheadFailed(): void;
  /** What the playing element says; the other one is loading ahead, silently. */
  readonly playing: {
    time(a: HTMLAudioElement): void;
    duration(a: HTMLAudioElement): void;
    paused(paused: boolean): void;
    ended(): void;
    failed(a: HTMLAudioElement): void;
  };
}

/** The two elements that take turns (gapless where the browser allows). */
function AudioPair({ elements, active, current, onAnyPlay, onAheadFailed, playing }: AudioPairProps) {
  const speaks = (e: { currentTarget: HTMLAudioElement }) => e.currentTarget === current();
  return ([0, 1] as const).map((which) => (
    // biome-ignore lint/a11y/useMediaCaption: music has no captions to offer
    <audio
      key={which}
      ref={elements[which]}
      data-active={which === active ? 'true' : undefined}
      preload="auto"
      // Fetched with CORS: Web Audio hears media from another origin (the desktop shell's) only so.
      crossOrigin="anonymous"
      onTimeUpdate={(e) => speaks(e) && playing.time(e.currentTarget)}
      onDurationChange={(e) => speaks(e) && playing.duration(e.currentTarget)}
      onPlay={(e) => {
        onAnyPlay();
        if (speaks(e)) playing.paused(false);
      }}
      onPause={(e) => speaks(e) && playing.paused(true)}
      onEnded={(e) => speaks(e) && playing.ended()}
      onError={(e) => (speaks(e) ? playing.failed(e.currentTarget) : onAheadFailed())}
    />
  ));
}

interface TransportProps {
  readonly track: QueueItem | undefined;
  readonly queue: Queue;
  readonly paused: boolean;
  /** Where the track is, and its length, in seconds. */
  readonly time: number;
  readonly duration: number;
  onSkip(forward: boolean): void;
  onToggle(): void;
  onSeek(seconds: number): void;
}

/** Previous, play or pause, next, the timeline and what plays. */
function Transport({ track, queue, paused, time, duration, onSkip, onToggle, onSeek }: TransportProps) {
  return (
    <>
      <button type="button" aria-label="Previous" disabled={!track} onClick={() => onSkip(false)}>
        <Icon name="previous" />
      </button>
      <button
        type="button"
        className="play"
        disabled={!track}
        aria-label={paused ? 'Play' : 'Pause'}
        onClick={onToggle}
      >
        <Icon name={paused ? 'play' : 'pause'} />
      </button>
      <button
        type="button"
        aria-label="Next"
        disabled={!track || (queue.current + 1 >= queue.items.length && queue.repeat !== 'all')}
        onClick={() => onSkip(true)}
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
        onChange={(e) => onSeek(Number(e.target.value))}
      />
      <span className="time">{formatDuration(duration)}</span>
      <span className="now-playing" title={track ? `${track.artist} – ${track.title}` : 'Nothing playing'}>
        {track ? (
          <>
            <strong>{track.title}</strong> {track.artist && `· ${track.artist}`}
            {queue.radio && <span className="badge">radio: {queue.radio.label}</span>}
          </>
        ) : (
          // Short enough to be read whole beside the controls at 1280 px.
          'Double-click to play'
        )}
      </span>
    </>
  );
}

interface OptionsProps extends Props {
  readonly gain: Parameters<typeof ReplayGainControl>[0];
  readonly volume: number;
  onVolume(volume: number): void;
  readonly showQueue: boolean;
  onShowQueue(show: boolean): void;
}

/** Shuffle, repeat, ReplayGain, volume and the queue's button. */
function PlayerOptions({ queue, onQueue, gain, volume, onVolume, showQueue, onShowQueue }: OptionsProps) {
  return (
    <>
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
      <ReplayGainControl {...gain} />
      <input
        type="range"
        className="volume"
        aria-label="Volume"
        min={0}
        max={1}
        step={0.05}
        value={volume}
        onChange={(e) => onVolume(Number(e.target.value))}
      />
      <button
        type="button"
        className="queue-button"
        aria-label="Queue"
        aria-expanded={showQueue}
        onClick={() => onShowQueue(!showQueue)}
      >
        ☰ {queue.items.length > 0 ? queue.items.length : ''}
      </button>
    </>
  );
}

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
