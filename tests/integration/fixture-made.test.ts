// The tests' own cache of fixture files (tests/fixtures/made.ts): a file is used again only for the same
// command, the same inputs and the same place in a test's folder. The tools run are counted (toolsRun):
// their output is the same on every run (sox seeded with -R), so equal bytes alone would not tell.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptBytes, made, toolsRun } from '../fixtures/made.ts';
import { tempDir, tool } from '../helpers.ts';

/** Another test's folder: the place inside it is what the cache keys on. */
const noise = (seconds: string, place = 'music/noise.wav'): Buffer => {
  const path = join(tempDir(), place);
  made(path, 'sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', seconds, 'whitenoise']);
  return readFileSync(path);
};

/** What `make` returns, and how many tools it ran. */
const counted = <T>(make: () => T): [T, number] => {
  const before = toolsRun();
  const result = make();
  return [result, toolsRun() - before];
};

describe('fixture files made once and kept', () => {
  // A length no other run asked for (the kept files outlive a run, and a pid comes again), so that the
  // first call here runs sox.
  const seconds = `0.${Number.parseInt(randomUUID().slice(0, 8), 16)}`;

  it('copies the file a command made before, for the same place in another test folder', () => {
    const [first, ran] = counted(() => noise(seconds));
    expect(ran).toBe(1);
    const [again, ranAgain] = counted(() => noise(seconds));
    expect(ranAgain).toBe(0);
    expect(again.equals(first)).toBe(true);
  });

  it('keeps what a tool run through tool() writes, its output told by its command line', () => {
    const made = (): Buffer => {
      const path = join(tempDir(), 'noise.wav');
      tool('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', seconds, 'pinknoise']);
      return readFileSync(path);
    };
    const [first, ran] = counted(made);
    expect(ran).toBe(1);
    const [again, ranAgain] = counted(made);
    expect(ranAgain).toBe(0);
    expect(again.equals(first)).toBe(true);
  });

  it('runs the tool again for another argument or another place', () => {
    noise(seconds);
    expect(counted(() => noise(`${seconds}1`))[1]).toBe(1);
    expect(counted(() => noise(seconds, 'music/other.wav'))[1]).toBe(1);
  });

  it('runs the tool again when an input file changed', () => {
    const input = join(tempDir(), 'in.wav');
    // Into another test's folder each time, at the same place: a file there already is always made anew.
    const encoded = (): Buffer => {
      const out = join(tempDir(), 'out.flac');
      made(out, 'flac', ['-s', '-f', '-o', out, input]);
      return readFileSync(out);
    };
    writeFileSync(input, noise(seconds));
    const first = encoded();
    expect(counted(encoded)[1]).toBe(0);
    writeFileSync(input, noise(`1${seconds}`)); // ten seconds longer: other samples
    const [changed, ran] = counted(encoded);
    expect(ran).toBe(1);
    expect(changed.equals(first)).toBe(false);
  });

  it('makes computed bytes once for the same parts, and again for others', () => {
    let makes = 0;
    const bytes = (parts: string[]) =>
      keptBytes(parts, () => {
        makes++;
        return new Uint8Array([makes]);
      });
    const id = randomUUID(); // parts no earlier run asked for
    expect([...bytes([id, 'a'])]).toEqual([1]);
    expect([...bytes([id, 'a'])]).toEqual([1]);
    expect([...bytes([id, 'b'])]).toEqual([2]);
    expect(makes).toBe(2);
  });
});
