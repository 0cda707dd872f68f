// Tags are data, not terminal commands: an escape sequence or a bidirectional override in a tag is shown
// escaped by `ls` and `info`, and JSON output still carries the exact value.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeve, sleeveHere, sleeveJson, tempDir, tool } from '../helpers.ts';

const TITLE = 'Song\u001b]0;pwned\u0007 \u202Ereversed\u0085';

describe('hostile tags in terminal output', () => {
  it('are printed inert, and exact in JSON', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440);
    const flac = join(music, 'hostile.flac');
    tool('flac', ['--silent', '-f', '-o', flac, wav]);
    execFileSync('metaflac', [`--set-tag=TITLE=${TITLE}`, flac]);
    const home = join(tempDir(), 'home');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const listed = sleeve(home, ['ls', '-f', '$title']).stdout;
    expect(listed).toBe('Song\\u001B]0;pwned\\u0007 \\u202Ereversed\\u0085\n');
    const info = sleeve(home, ['info', '1']).stdout;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none is printed
    expect(info).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(info).toContain('Song\\u001B]0;pwned');
    expect(sleeveJson<Array<{ tags: { title: string[] } }>>(home, ['ls', '--json'])[0]!.tags.title).toEqual([
      TITLE,
    ]);
  });
});
