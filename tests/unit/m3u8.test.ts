// M3U8 text: written so that each entry is one #EXTINF line and one location line, and read back from
// what players and other tools write (BOM, CRLF or CR line ends, comments, blank lines).
import { describe, expect, it } from 'vitest';
import { formatM3u8, itemLabel, parseM3u8 } from '../../app/core/library/m3u8.ts';

describe('M3U8', () => {
  it('writes #EXTM3U, then per entry its length, label and location; a line break cannot split an entry', () => {
    expect(
      formatM3u8([
        { location: '../A/B/01 One.flac', duration: 59.6, label: 'A - One' },
        { location: '../A/B/02\nTwo.flac', duration: null, label: 'A -\r\nTwo' },
      ]),
    ).toBe('#EXTM3U\n#EXTINF:60,A - One\n../A/B/01 One.flac\n#EXTINF:-1,A - Two\n../A/B/02 Two.flac\n');
    expect(formatM3u8([])).toBe('#EXTM3U\n');
  });

  it('labels an entry "Artist - Title", else its title, else its file name', () => {
    expect(itemLabel({ artist: ['A', 'B'], title: ['T'] }, '/x/y.flac')).toBe('A, B - T');
    expect(itemLabel({ title: ['T'] }, '/x/y.flac')).toBe('T');
    expect(itemLabel({}, '/x/y.flac')).toBe('y.flac');
  });

  it('reads the locations with their line numbers, past a BOM, comments, blank lines and any line ends', () => {
    const body = Buffer.from('\uFEFF#EXTM3U\r\n#EXTINF:1,x\r\n  a.flac  \r\n\r\n# note\rb.mp3\nc.ogg');
    expect(parseM3u8(body)).toEqual([
      { line: 3, location: 'a.flac' },
      { line: 6, location: 'b.mp3' },
      { line: 7, location: 'c.ogg' },
    ]);
  });

  it('refuses a binary body and text that is not UTF-8, saying which', () => {
    expect(() => parseM3u8(Buffer.from([0x23, 0x00, 0x41]))).toThrow(/binary data \(NUL bytes\)/);
    expect(() => parseM3u8(Buffer.from([0x61, 0xff, 0xfe, 0x0a]))).toThrow(/not valid UTF-8/);
  });
});
