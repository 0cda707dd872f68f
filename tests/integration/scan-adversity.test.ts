// One bad entry never aborts a scan: a folder whose path is longer than the system allows is reported
// with that reason, and everything else is scanned.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeve, tempDir } from '../helpers.ts';

describe('a scan under adversity', () => {
  it('reports a folder too deep for the system (ENAMETOOLONG) and scans the rest', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    makeWav(join(music, 'ok.wav'), 330, 0.5, 8000, 1);
    // 25 levels of 200-character names: past PATH_MAX (4096), reachable only step by step.
    const name = 'd'.repeat(200);
    execFileSync('sh', [
      '-c',
      `cd "$1" && for i in $(seq 25); do mkdir ${name} && cd ${name}; done; cp ../ok.wav . 2>/dev/null; true`,
      'sh',
      music,
    ]);
    const r = sleeve(join(tempDir(), 'home'), ['scan', '--no-fingerprint', '--no-embeddings', music]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 added, /);
    expect(r.stderr).toMatch(/skipped folder .*d{200}: its path is longer than the system allows/);
  });
});
