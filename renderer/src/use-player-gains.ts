// The player's loudness: its volume and ReplayGain mode (both remembered across reloads), and each of its
// two elements at its track's gain — the playing one at the current track's, the other at what comes next,
// which it loads ahead and starts at a track's end, so the next track starts at its own gain.
import { useEffect, useState } from 'react';
import { ElementGains } from './element-gains.ts';
import { advance, type Queue } from './queue.ts';
import { type GainMode, isGainMode, queuedGain } from './replay-gain.ts';
import { readStored } from './stored.ts';
import type { ElementPair } from './use-element-pair.ts';

const VOLUME_KEY = 'sleeve.player.volume';
const GAIN_MODE_KEY = 'sleeve.player.replaygain';

export function usePlayerGains(queue: Queue, pair: Pick<ElementPair, 'playing' | 'waiting'>) {
  const [volume, setVolume] = useState(() => Number(localStorage.getItem(VOLUME_KEY) ?? '1'));
  const [gainMode, setGainMode] = useState<GainMode>(() => readStored(GAIN_MODE_KEY, isGainMode, 'auto'));
  const [gains] = useState(() => new ElementGains());
  useEffect(() => {
    for (const a of [pair.playing(), pair.waiting()]) if (a) a.volume = volume;
    localStorage.setItem(VOLUME_KEY, String(volume));
  }, [volume, pair]);
  useEffect(() => {
    const following = advance(queue, true);
    const playing = pair.playing();
    const waiting = pair.waiting();
    if (playing) gains.set(playing, queuedGain(gainMode, queue).linear);
    if (waiting) gains.set(waiting, following ? queuedGain(gainMode, following).linear : 1);
  }, [queue, gainMode, gains, pair]);
  useEffect(() => localStorage.setItem(GAIN_MODE_KEY, JSON.stringify(gainMode)), [gainMode]);
  return { volume, setVolume, gainMode, setGainMode, applied: queuedGain(gainMode, queue), gains };
}
