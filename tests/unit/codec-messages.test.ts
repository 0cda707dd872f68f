import { describe, expect, it } from 'vitest';
import { CodecMessages } from '../../app/core/audio/codec-messages.ts';
import { DECODE_WARNING, withDecodeWarning } from '../../app/core/scan/analysis.ts';

describe('CodecMessages', () => {
  it('groups repeats, counts FFmpeg\'s "Last message repeated", drops addresses and control characters', () => {
    const m = new CodecMessages();
    m.add('[aac @ 0x55d0c0ffee00] invalid band type\n[aac @ 0x55d0c0ffee10] invalid band type\n');
    m.add('    Last message repeated 3 times\n');
    m.add('\x1b]0;pwned\x07odd\r\n\n');
    expect(m.count).toBe(6);
    expect(m.summary()).toBe('[aac] invalid band type (5 times); ]0;pwned odd');
  });

  it('says where in the audio each message first came, when the decoder said', () => {
    const m = new CodecMessages();
    m.add('[mp3float] Header missing', 70.4);
    m.add('[mp3float] Header missing', 95);
    m.add('[flac] invalid sync code', 3661);
    m.add('from the ffmpeg command');
    expect(m.summary()).toBe(
      '[mp3float] Header missing (2 times, the first at 1:10); [flac] invalid sync code (at 1:01:01); from the ffmpeg command',
    );
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
