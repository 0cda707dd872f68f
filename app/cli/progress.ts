// Scan progress on stderr: a one-line bar on a terminal, JSON lines with --json, nothing otherwise.
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
  analyse: 'analysing',
  group: 'grouping',
  index: 'updating the similarity index',
};

export function progressSink(io: Output, json: boolean): ProgressSink | undefined {
  if (json) {
    const sink = (p: ScanProgress) => io.err.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
    return Object.assign(sink, { end() {} });
  }
  if (!io.err.isTTY) return undefined;
  let drawn = false;
  const sink = (p: ScanProgress) => {
    const line =
      p.phase === 'walk'
        ? `scanning folders… ${p.found} files found`
        : p.phase === 'index'
          ? `${LABEL.index}…`
          : `${LABEL[p.phase]} ${bar(p.total ? p.done / p.total : 1, 30)} ${p.done}/${p.total} files  ${Math.round(p.filesPerSecond)}/s  ${eta(p.etaSeconds)}`;
    const width = (io.err.columns ?? 80) - 1;
    io.err.write(`\r${line.slice(0, width).padEnd(width)}`);
    drawn = true;
  };
  return Object.assign(sink, {
    end() {
      if (drawn) io.err.write('\r\x1b[K');
    },
  });
}
