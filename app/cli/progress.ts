// Progress on stderr: a one-line bar on a terminal, JSON lines with --json, nothing otherwise. A scan's
// phases (progressSink), and a run of web requests (requestProgress).
import type { ScanProgress } from '../core/scan/scanner.ts';
import type { Output } from './context.ts';

export type ProgressSink = ((p: ScanProgress) => void) & { end(): void };

function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `ETA ${Math.ceil(seconds)}s`;
  return `ETA ${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

const LABEL: Record<ScanProgress['phase'], string> = {
  walk: 'scanning',
  read: 'reading',
  analyse: 'analysing (fingerprint, loudness, similarity)',
  group: 'grouping',
  merge: 'merging the fingerprint index',
  index: 'updating the similarity index',
};

/** Draws one line in place on a terminal; `end` clears it. */
function lineWriter(io: Output): { draw(line: string): void; end(): void } {
  let drawn = false;
  return {
    draw(line) {
      const width = (io.err.columns ?? 80) - 1;
      io.err.write(`\r${line.slice(0, width).padEnd(width)}`);
      drawn = true;
    },
    end() {
      if (drawn) io.err.write('\r\x1b[K');
    },
  };
}

/** A web service's progress as it goes (requests answered, albums matched), with the time left at the rate
 *  it is going; on a terminal only. */
export function requestProgress(
  io: Output,
): ((service: string, done: number, total: number) => void) & { end(): void } {
  const line = lineWriter(io);
  const started = new Map<string, number>();
  const sink = (service: string, done: number, total: number) => {
    if (!io.err.isTTY) return;
    if (!started.has(service)) started.set(service, performance.now());
    const seconds = (performance.now() - started.get(service)!) / 1000;
    const left = done > 0 ? ((total - done) * seconds) / done : null;
    const unit =
      service === 'MusicBrainz' ? 'albums' : service === 'Cover Art Archive' ? 'covers' : 'requests';
    line.draw(`${service} ${bar(total ? done / total : 1, 30)} ${done}/${total} ${unit}  ${eta(left)}`);
  };
  return Object.assign(sink, { end: line.end });
}

export function progressSink(io: Output, json: boolean): ProgressSink | undefined {
  if (json) {
    const sink = (p: ScanProgress) => io.err.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
    return Object.assign(sink, { end() {} });
  }
  if (!io.err.isTTY) return undefined;
  const writer = lineWriter(io);
  const sink = (p: ScanProgress) => {
    const line =
      p.phase === 'walk'
        ? `scanning folders… ${p.found} files found`
        : p.phase === 'index' || p.phase === 'merge'
          ? `${LABEL[p.phase]}…`
          : `${LABEL[p.phase]} ${bar(p.total ? p.done / p.total : 1, 30)} ${p.done}/${p.total} files  ${Math.round(p.filesPerSecond)}/s  ${eta(p.etaSeconds)}`;
    writer.draw(line);
  };
  return Object.assign(sink, { end: writer.end });
}
