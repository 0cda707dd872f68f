// Loudness and dynamics from 400 ms blocks (EBU R 128's momentary window, unweighted): the level of the
// track and how much it moves. Blocks below −70 dBFS are silence and do not count.
import type { Envelope } from './envelope.ts';
import { quantile } from './moments.ts';

const BLOCK_SECONDS = 0.4;
const GATE_DB = -70;

export interface Loudness {
  /** Mean-square level of the gated blocks, dBFS. */
  readonly integrated: number;
  readonly blockStd: number;
  readonly p10: number;
  readonly p95: number;
  /** Peak sample over the integrated level, dB. */
  readonly crest: number;
  /** How many blocks were above the gate (0: the track is silent). */
  readonly blocks: number;
}

const toDb = (meanSquare: number): number => 10 * Math.log10(meanSquare + 1e-12);

export function loudness(env: Envelope): Loudness {
  const span = Math.max(1, Math.round(BLOCK_SECONDS * env.rate));
  const step = Math.max(1, Math.round(span / 4));
  const levels: number[] = [];
  let power = 0;
  for (let start = 0; start + span <= env.energy.length; start += step) {
    let sum = 0;
    // Windows overlap by two hops' worth; halving counts each sample once on average.
    for (let h = start; h < start + span; h += 2) sum += env.energy[h]!;
    const ms = sum / Math.ceil(span / 2);
    const db = toDb(ms);
    if (db < GATE_DB) continue;
    levels.push(db);
    power += ms;
  }
  if (levels.length === 0)
    return { integrated: -120, blockStd: 0, p10: -120, p95: -120, crest: 0, blocks: 0 };
  const db = Float64Array.from(levels);
  const integrated = toDb(power / levels.length);
  let variance = 0;
  const mean = db.reduce((a, b) => a + b, 0) / db.length;
  for (const v of db) variance += (v - mean) ** 2;
  return {
    integrated,
    blockStd: Math.sqrt(variance / db.length),
    p10: quantile(db, 0.1),
    p95: quantile(db, 0.95),
    crest: 20 * Math.log10(env.peak + 1e-12) - integrated,
    blocks: levels.length,
  };
}
