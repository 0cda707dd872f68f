import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flacAudioRange, mpegAudioRange } from '../../app/core/media/audio-range.ts';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { sniff } from '../../app/core/media/sniff.ts';
import { tempDir } from '../helpers.ts';

const dir = tempDir();
const open: FileWindow[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

function windowOf(bytes: Buffer): FileWindow {
  const path = join(dir, `f${open.length}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, bytes);
  const w = FileWindow.open(path);
  open.push(w);
  return w;
}

function flacBlock(type: number, length: number, last: boolean): Buffer {
  const b = Buffer.alloc(4 + length);
  b[0] = (last ? 0x80 : 0) | type;
  b.writeUIntBE(length, 1, 3);
  return b;
}

const FLAC_FRAMES = Buffer.concat([Buffer.from([0xff, 0xf8, 0x69, 0x08]), Buffer.alloc(200, 7)]);

function syncsafe(n: number): Buffer {
  return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

function id3v2(version: 3 | 4, bodySize: number, footer = false): Buffer {
  const header = Buffer.concat([
    Buffer.from([0x49, 0x44, 0x33, version, 0, footer ? 0x10 : 0]),
    syncsafe(bodySize),
  ]);
  const body = Buffer.alloc(bodySize);
  body.write('TIT2', 0);
  const foot = footer
    ? Buffer.concat([Buffer.from('3DI'), Buffer.from([version, 0, 0x10]), syncsafe(bodySize)])
    : Buffer.alloc(0);
  return Buffer.concat([header, body, foot]);
}

// MPEG-1 Layer III, 128 kbps, 44.1 kHz, no padding: 417-byte frames.
function mpegFrames(count: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

const ID3V1 = Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125, 0x20)]);

function apev2(withHeader: boolean): Buffer {
  const item = Buffer.concat([Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('Title\0hello')]);
  const block = (isHeader: boolean) => {
    const b = Buffer.alloc(32);
    b.write('APETAGEX', 0);
    b.writeUInt32LE(2000, 8);
    b.writeUInt32LE(item.length + 32, 12);
    b.writeUInt32LE(1, 16);
    b.writeUInt32LE(((withHeader ? 0x80000000 : 0) | (isHeader ? 0x20000000 : 0)) >>> 0, 20);
    return b;
  };
  return Buffer.concat([withHeader ? block(true) : Buffer.alloc(0), item, block(false)]);
}

function lyrics3v2(): Buffer {
  const body = Buffer.from('LYRICSBEGININD0000211');
  return Buffer.concat([body, Buffer.from(String(body.length).padStart(6, '0')), Buffer.from('LYRICS200')]);
}

describe('FLAC audio range', () => {
  it('starts after the last metadata block, with padding and a picture', () => {
    const meta = Buffer.concat([
      Buffer.from('fLaC'),
      flacBlock(0, 34, false),
      flacBlock(6, 100, false),
      flacBlock(1, 8192, true),
    ]);
    const w = windowOf(Buffer.concat([meta, FLAC_FRAMES]));
    expect(flacAudioRange(w, 0)).toEqual({ start: meta.length, end: meta.length + FLAC_FRAMES.length });
  });

  it('works without padding (STREAMINFO is the last block)', () => {
    const meta = Buffer.concat([Buffer.from('fLaC'), flacBlock(0, 34, true)]);
    expect(flacAudioRange(windowOf(Buffer.concat([meta, FLAC_FRAMES])), 0)).toEqual({
      start: 42,
      end: 42 + FLAC_FRAMES.length,
    });
  });

  it('skips a leading ID3v2 tag and excludes a trailing ID3v1 tag', () => {
    const id3 = id3v2(3, 300);
    const meta = Buffer.concat([Buffer.from('fLaC'), flacBlock(0, 34, true)]);
    const w = windowOf(Buffer.concat([id3, meta, FLAC_FRAMES, ID3V1]));
    const s = sniff(w, false);
    expect(s).toMatchObject({ kind: 'audio', format: 'flac', offset: id3.length });
    expect(flacAudioRange(w, id3.length)).toEqual({
      start: id3.length + 42,
      end: id3.length + 42 + FLAC_FRAMES.length,
    });
  });

  it('refuses a first block that is not STREAMINFO, truncated metadata, and missing frames', () => {
    const bad = Buffer.concat([Buffer.from('fLaC'), flacBlock(1, 34, true), FLAC_FRAMES]);
    expect(() => flacAudioRange(windowOf(bad), 0)).toThrow(/first metadata block is not STREAMINFO/);
    for (const lie of [0, 0xffffff]) {
      const lying = Buffer.concat([Buffer.from('fLaC'), flacBlock(0, 34, true), FLAC_FRAMES]);
      lying.writeUIntBE(lie, 5, 3); // STREAMINFO's length field
      expect(() => flacAudioRange(windowOf(lying), 0)).toThrow(
        `invalid FLAC: STREAMINFO says it holds ${lie} bytes, not 34`,
      );
    }
    const cut = Buffer.concat([
      Buffer.from('fLaC'),
      flacBlock(0, 34, false),
      flacBlock(6, 5000, true),
    ]).subarray(0, 100);
    expect(() => flacAudioRange(windowOf(cut), 0)).toThrow(/truncated/);
    const noFrames = Buffer.concat([Buffer.from('fLaC'), flacBlock(0, 34, true)]);
    expect(() => flacAudioRange(windowOf(noFrames), 0)).toThrow(/no FLAC audio frames/);
  });
});

describe('MP3 audio range', () => {
  it('starts after an ID3v2.3 tag and ends before ID3v1', () => {
    const id3 = id3v2(3, 1000);
    const frames = mpegFrames(5);
    const w = windowOf(Buffer.concat([id3, frames, ID3V1]));
    expect(sniff(w, false)).toMatchObject({ kind: 'audio', format: 'mp3', offset: id3.length });
    expect(mpegAudioRange(w, id3.length)).toEqual({ start: id3.length, end: id3.length + frames.length });
  });

  it('handles an ID3v2.4 tag with a footer', () => {
    const id3 = id3v2(4, 500, true);
    const frames = mpegFrames(4);
    const w = windowOf(Buffer.concat([id3, frames]));
    expect(id3.length).toBe(520);
    expect(mpegAudioRange(w, id3.length)).toEqual({ start: 520, end: 520 + frames.length });
  });

  it('excludes APEv2 (with and without header), Lyrics3v2 and ID3v1 trailers, in any stack', () => {
    const frames = mpegFrames(4);
    for (const tail of [
      apev2(false),
      apev2(true),
      Buffer.concat([apev2(true), ID3V1]),
      Buffer.concat([lyrics3v2(), ID3V1]),
      Buffer.concat([apev2(false), lyrics3v2(), ID3V1]),
    ]) {
      const w = windowOf(Buffer.concat([frames, tail]));
      expect(mpegAudioRange(w, 0)).toEqual({ start: 0, end: frames.length });
    }
  });

  it('skips junk between the tag and the first frame but only accepts a confirmed sync', () => {
    const id3 = id3v2(3, 100);
    // A lone 0xFFFB header-looking pattern not followed by another frame must not be taken.
    const junk = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(60, 1)]);
    const frames = mpegFrames(3);
    const w = windowOf(Buffer.concat([id3, junk, frames]));
    expect(mpegAudioRange(w, id3.length).start).toBe(id3.length + junk.length);
  });

  it('reports files without MPEG frames', () => {
    expect(() => mpegAudioRange(windowOf(Buffer.alloc(3000, 0x41)), 0)).toThrow(/no MPEG audio frame/);
  });
});

describe('sniff', () => {
  it.each([
    [Buffer.alloc(0), /empty file/],
    [Buffer.from('\x89PNG\r\n\x1a\n0000000000000000', 'latin1'), /PNG image/],
    [Buffer.from('just some words\n'), /content is text/],
    [
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('AVI LIST')]),
      /RIFF container of type "AVI "/,
    ],
  ])('describes non-audio content %#', (bytes, reason) => {
    const s = sniff(windowOf(bytes), false);
    expect(s.kind).toBe('other');
    expect(s.kind === 'other' && s.reason).toMatch(reason);
  });

  it('recognizes containers by their magic bytes', () => {
    const riff = (kind: string) =>
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from(kind), Buffer.alloc(20)]);
    expect(sniff(windowOf(riff('WAVE')), false)).toMatchObject({ format: 'wav' });
    expect(
      sniff(
        windowOf(
          Buffer.concat([Buffer.from('FORM'), Buffer.alloc(4), Buffer.from('AIFC'), Buffer.alloc(20)]),
        ),
        false,
      ),
    ).toMatchObject({ format: 'aiff' });
    expect(
      sniff(windowOf(Buffer.concat([Buffer.alloc(4), Buffer.from('ftypM4A '), Buffer.alloc(20)])), false),
    ).toMatchObject({ format: 'm4a' });
    expect(sniff(windowOf(Buffer.concat([Buffer.from('wvpk'), Buffer.alloc(40)])), false)).toMatchObject({
      format: 'wavpack',
    });
    // Musepack SV8, SV7 ("MP+" and stream version 7); "MP+" with another version is not taken for it.
    for (const magic of ['MPCK', 'MP+\x07', 'MP+\x17']) {
      expect(sniff(windowOf(Buffer.from(`${magic}${'\0'.repeat(40)}`, 'latin1')), false)).toMatchObject({
        format: 'musepack',
      });
    }
    expect(sniff(windowOf(Buffer.from(`MP+\x04${'\0'.repeat(40)}`, 'latin1')), false).kind).toBe('other');
    expect(sniff(windowOf(Buffer.concat([Buffer.from('MAC '), Buffer.alloc(40)])), false)).toMatchObject({
      format: 'ape',
    });
  });
});
