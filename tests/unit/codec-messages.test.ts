import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodecMessages } from '../../app/core/audio/codec-messages.ts';
import { OggPageChecker } from '../../app/core/audio/ogg-checksum.ts';
import { DECODE_WARNING, withDecodeWarning } from '../../app/core/scan/analysis.ts';
import { makeWav } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

describe('CodecMessages', () => {
  it('groups repeats, counts FFmpeg\'s "Last message repeated", drops addresses and control characters', () => {
    const m = new CodecMessages();
    m.add('[aac @ 0x55d0c0ffee00] invalid band type\n[aac @ 0x55d0c0ffee10] invalid band type\n');
    m.add('    Last message repeated 3 times\n');
    m.add('\x1b]0;pwned\x07odd\r\n\n');
    expect(m.count).toBe(6);
    expect(m.summary()).toBe('[aac] invalid band type (5 times); ]0;pwned odd');
  });

  it('keeps five distinct messages, each at most 200 characters, and counts the rest', () => {
    const m = new CodecMessages();
    for (let i = 0; i < 1000; i++) m.add(`message ${i} ${'x'.repeat(500)}`);
    const summary = m.summary()!;
    expect(summary.split('; ')).toHaveLength(6);
    expect(summary).toMatch(/; and 995 other messages$/);
    expect(summary.length).toBeLessThan(1100);
    expect(new CodecMessages().summary()).toBeUndefined();
  });
});

describe('withDecodeWarning', () => {
  it('replaces the decode part, keeps what the read found', () => {
    const read = 'truncated: the Ogg stream stops before its last page';
    expect(withDecodeWarning(null, undefined)).toBeNull();
    expect(withDecodeWarning(null, 'x; y')).toBe(`${DECODE_WARNING}x; y`);
    const both = withDecodeWarning(read, 'x; y');
    expect(both).toBe(`${read}; ${DECODE_WARNING}x; y`);
    expect(withDecodeWarning(both, 'z')).toBe(`${read}; ${DECODE_WARNING}z`);
    expect(withDecodeWarning(both, undefined)).toBe(read);
    expect(withDecodeWarning(`${DECODE_WARNING}x`, undefined)).toBeNull();
  });
});

describe('OggPageChecker', () => {
  const dir = tempDir();
  const wav = join(dir, 'tone.wav');
  makeWav(wav, 330, 5);
  const opus = join(dir, 'tone.opus');
  tool('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'libopus', opus]);
  const data = readFileSync(opus);

  const check = (bytes: Uint8Array, chunk: number) => {
    const c = new OggPageChecker();
    for (let i = 0; i < bytes.length; i += chunk) c.push(bytes.subarray(i, i + chunk));
    return c;
  };

  it('passes every page of a whole file, whatever the chunk size', () => {
    const whole = check(data, data.length);
    expect(whole.bad).toBe(0);
    expect(whole.pages).toBeGreaterThan(3);
    for (const chunk of [1, 7, 4096])
      expect(check(data, chunk)).toMatchObject({ pages: whole.pages, bad: 0 });
    expect(whole.message()).toBeUndefined();
  });

  it('counts a page with one byte changed, and not a page cut by the end', () => {
    const changed = Buffer.from(data);
    changed[data.length - 10] = changed[data.length - 10]! ^ 0x40;
    expect(check(changed, 1000).bad).toBe(1);
    expect(check(changed, 1000).message()).toMatch(/^Ogg: 1 of \d+ pages fail their checksum/);
    expect(check(data.subarray(0, data.length - 10), 1000).bad).toBe(0);
  });
});
