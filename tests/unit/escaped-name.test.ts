// File names that are not valid UTF-8 are shown with each stray byte as \xNN, valid characters as they are.
import { describe, expect, it } from 'vitest';
import { escapedName } from '../../app/core/scan/walk.ts';

const name = (...bytes: number[]) => escapedName(Buffer.from(bytes));

describe('escapedName', () => {
  it('keeps valid UTF-8 as it is', () => {
    expect(escapedName(Buffer.from('Björk – Jóga 🎵.flac'))).toBe('Björk – Jóga 🎵.flac');
  });

  it('escapes each byte that is not part of a valid sequence', () => {
    expect(name(0x66, 0xff, 0x2e, 0x6d, 0x70, 0x33)).toBe('f\\xFF.mp3');
    expect(name(0x80, 0x41)).toBe('\\x80A'); // a lone continuation byte
    expect(name(0xc3, 0x28)).toBe('\\xC3('); // a lead byte without its continuation
    expect(name(0xe2, 0x82)).toBe('\\xE2\\x82'); // cut short at the end
    expect(name(0xc0, 0x80)).toBe('\\xC0\\x80'); // overlong NUL
    expect(name(0xed, 0xa0, 0x80)).toBe('\\xED\\xA0\\x80'); // a UTF-16 surrogate
    expect(name(0xf4, 0x90, 0x80, 0x80)).toBe('\\xF4\\x90\\x80\\x80'); // past U+10FFFF
    expect(name(0xe9, 0xc3, 0xa9)).toBe('\\xE9é'); // Latin-1 next to UTF-8
  });
});
