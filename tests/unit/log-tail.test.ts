// A mount's log, appended to by each of its daemons, kept bounded: past its bound only its last whole
// lines stay; under it, or missing, it is left alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepLogTail } from '../../kit/log-tail.ts';
import { tempDir } from '../helpers.ts';

describe('keepLogTail', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}`);
  const text = `${lines.join('\n')}\n`;

  it('keeps the last whole lines once the log is past its bound', () => {
    const log = join(tempDir(), 'mount.log');
    writeFileSync(log, text);
    keepLogTail(log, 1000, 300);
    const kept = readFileSync(log, 'utf8');
    expect(kept.length).toBeLessThanOrEqual(300);
    expect(kept.length).toBeGreaterThanOrEqual(300 - 30); // less than a line lost
    expect(text.endsWith(kept)).toBe(true);
    expect(kept.startsWith('line ')).toBe(true);
  });

  it('leaves a log under its bound, and a missing one, as they are', () => {
    const dir = tempDir();
    const log = join(dir, 'mount.log');
    writeFileSync(log, text);
    keepLogTail(log, text.length, 300);
    expect(readFileSync(log, 'utf8')).toBe(text);
    keepLogTail(join(dir, 'none.log'), 10, 5);
    expect(existsSync(join(dir, 'none.log'))).toBe(false);
  });
});
