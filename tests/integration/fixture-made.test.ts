// The tests' own cache of fixture files (tests/fixtures/made.ts): a file is used again only for the same
// command, the same inputs and the same place in a test's folder. sox's noise differs at every run, so
// equal bytes show a file was copied and different bytes that the tool ran.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptBytes, made } from '../fixtures/made.ts';
import { tempDir, tool } from '../helpers.ts';

/** Another test's folder: the place inside it is what the cache keys on. */
const noise = (seconds: string, place = 'music/noise.wav'): Buffer => {
  const path = join(tempDir(), place);
  made(path, 'sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', seconds, 'whitenoise']);
  return readFileSync(path);
};

describe('fixture files made once and kept', () => {
  // A length no other test asks for, so that the first call here runs sox.
  const seconds = `0.${process.pid}`;

  it('copies the file a command made before, for the same place in another test folder', () => {
    const first = noise(seconds);
    expect(noise(seconds).equals(first)).toBe(true);
  });

  it('keeps what a tool run through tool() writes, its output told by its command line', () => {
    const made = (): Buffer => {
      const path = join(tempDir(), 'noise.wav');
      tool('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', seconds, 'pinknoise']);
      return readFileSync(path);
    };
    const first = made();
    expect(made().equals(first)).toBe(true);
  });

  it('runs the tool again for another argument or another place', () => {
    const first = noise(seconds);
    expect(noise(`${seconds}1`).equals(first)).toBe(false);
    expect(noise(seconds, 'music/other.wav').equals(first)).toBe(false);
  });

  it('runs the tool again when an input file changed', () => {
    const dir = tempDir();
    const input = join(dir, 'in.wav');
    const encoded = (): Buffer => {
      const out = join(dir, 'out.flac');
      made(out, 'flac', ['-s', '-f', '-o', out, input]);
      return readFileSync(out);
    };
    writeFileSync(input, noise(seconds));
    const first = encoded();
    writeFileSync(input, noise(`${seconds}2`));
    expect(encoded().equals(first)).toBe(false);
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
