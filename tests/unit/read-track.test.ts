// What a scan records for damaged headers: a reason about the file, never a JavaScript engine's error
// from a parser that went past its data (cases the fuzz test found).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { id3v2TagLength } from '../../app/core/media/id3v2.ts';
import { readTrack, readTrackWindow } from '../../app/core/media/read-track.ts';
import { fixOggChecksums } from '../fixtures/fuzz-mutate.ts';
import { apicData, type FrameSpec, id3Tag, textData } from '../fixtures/id3-tag.ts';
import { makeWav } from '../fixtures/library.ts';
import { copyFixtures, tempDir, tool } from '../helpers.ts';

const ogg = readFileSync(join(copyFixtures(), 'Gamma/vorbis.ogg'));
const firstPage = 27 + ogg[26]! + ogg.subarray(27, 27 + ogg[26]!).reduce((a, b) => a + b, 0);
const dir = tempDir();

async function reason(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    await readTrack(path, new Set());
    return 'read';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('a damaged Ogg Vorbis file', () => {
  it('cut inside its comment header is truncated (music-metadata parsed the partial packet: a RangeError)', async () => {
    expect(await reason('cut.ogg', ogg.subarray(0, firstPage + 100))).toBe(
      'truncated: the file ends inside its Ogg headers',
    );
  });

  it('whose comment length reaches past the packet is corrupt, where music-metadata reads it', async () => {
    const bytes = Buffer.from(ogg);
    const header = bytes.indexOf('\x03vorbis', 0, 'latin1') + 7;
    bytes.writeUInt32LE(0xffffff, header + 4 + bytes.readUInt32LE(header) + 4); // the first comment's length
    // A second stream's first page among the headers: Sleeve's reader leaves the file to music-metadata.
    const other = Buffer.from(bytes.subarray(0, firstPage));
    other.writeUInt32LE(other.readUInt32LE(14) + 1, 14);
    const twoStreams = Buffer.concat([bytes.subarray(0, firstPage), other, bytes.subarray(firstPage)]);
    fixOggChecksums(twoStreams);
    expect(await reason('long-comment.ogg', twoStreams)).toBe(
      'corrupt: a size or count in its headers reaches past their end',
    );
  });
});

describe('a file read strictly (a save through the mount)', () => {
  const root = copyFixtures();
  const mp3 = readFileSync(join(root, 'Alpha/Album One/03 Third.mp3'));
  const tagEnd = id3v2TagLength(mp3);
  const audio = mp3.subarray(tagEnd);
  const tag = (frames: FrameSpec[]) => id3Tag({ version: 4, frames, padding: 64 });
  const title = { id: 'TIT2', data: textData(3, 'Strict') };
  const wav = readFileSync(join(root, 'Gamma/pcm.wav'));
  /** The WAV with chunks added after its others (the RIFF size kept right). */
  const withChunks = (...chunks: Buffer[]) => {
    const out = Buffer.concat([wav, ...chunks]);
    out.writeUInt32LE(out.length - 8, 4);
    return out;
  };
  const chunk = (id: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
  };

  /** The strict read's reason (or 'read'), and whether the scan's lenient read takes the file. */
  async function read(name: string, bytes: Buffer): Promise<[strict: string, lenient: string]> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const attempt = async (strict: boolean) => {
      const window = FileWindow.open(path);
      try {
        await readTrackWindow(window, name, new Set(), { strict });
        return 'read';
      } catch (err) {
        return (err as Error).message;
      } finally {
        window.close();
      }
    };
    return [await attempt(true), await attempt(false)];
  }

  it.each([
    [
      'bytes between the ID3v2 tag and the audio (what a tag that shrank leaves)',
      'gap.mp3',
      () => Buffer.concat([mp3.subarray(0, tagEnd), Buffer.from('TPE1 left behind'), audio]),
      'the 16 bytes between the ID3v2 tag and the audio are neither tag nor audio',
    ],
    [
      'junk where the tag should start (its "ID3" overwritten)',
      'no-tag.mp3',
      () => Buffer.concat([Buffer.from('XD3'), mp3.subarray(3)]),
      `the file starts with ${tagEnd} bytes that are neither an ID3v2 tag nor audio`,
    ],
    [
      'a picture that is not an image',
      'picture.mp3',
      () =>
        Buffer.concat([
          tag([title, { id: 'APIC', data: apicData(3, 'image/jpeg', 3, '', Buffer.from('not a jpeg')) }]),
          audio,
        ]),
      'cover art tagged "image/jpeg" is not a JPEG, PNG, GIF, WebP or BMP image',
    ],
    [
      'a trailing tag Sleeve does not read (Lyrics3)',
      'lyrics3.mp3',
      () => {
        const lyrics = 'LYRICSBEGININD0000210LYR00005hello';
        return Buffer.concat([
          mp3,
          Buffer.from(`${lyrics}${String(lyrics.length).padStart(6, '0')}LYRICS200`),
        ]);
      },
      'the file ends with a lyrics3 tag, which Sleeve does not read',
    ],
    [
      'a damaged tag in a WAV’s id3 chunk (its extended-header flag set)',
      'damaged.wav',
      () => withChunks(chunk('id3 ', Buffer.from(tag([title])).fill(0x40, 5, 6))),
      'the ID3v2.4 tag has an extended header of 177367602 bytes, which does not fit its tag',
    ],
    [
      'two ID3 chunks (readers pick different ones)',
      'two.wav',
      () => withChunks(chunk('id3 ', tag([title])), chunk('ID3 ', tag([title]))),
      'the file has 2 ID3 chunks',
    ],
  ])('refuses %s, where the scan reads it', async (_what, name, bytes, reason) => {
    expect(await read(name, bytes())).toEqual([reason, 'read']);
  });

  it('reads a valid file strictly as the scan does', async () => {
    const bytes = Buffer.concat([tag([title, { id: 'TPE1', data: textData(1, 'A', 'B') }]), audio]);
    expect(await read('valid.mp3', bytes)).toEqual(['read', 'read']);
    expect(await read('valid.wav', withChunks(chunk('id3 ', tag([title]))))).toEqual(['read', 'read']);
  });
});

describe("a FLAC's last frame, found from its end", () => {
  /** Where the frames start: after the metadata blocks (each a 4-byte header, bit 7 of the last's set). */
  function audioStart(flac: Buffer): number {
    let at = 4;
    for (let last = false; !last; at += 4 + flac.readUIntBE(at + 1, 3)) last = (flac[at]! & 0x80) !== 0;
    return at;
  }
  const warnings = async (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return (await readTrack(path, new Set())).warnings;
  };

  it('is not a copy of a frame header lying in its data by chance, cut or whole', async () => {
    const wav = join(dir, 'noise.wav');
    makeWav(wav, 440, 3);
    tool('flac', ['-s', '-f', '--blocksize', '4096', '-o', join(dir, 'noise.flac'), wav]);
    const flac = readFileSync(join(dir, 'noise.flac'));
    // The first frame's header (frame 0, valid CRC-8) planted 100 bytes before the end, after the last
    // real header: taken for the last frame, the file would hold one frame of 33.
    const planted = Buffer.from(flac);
    flac.copy(planted, planted.length - 100, audioStart(flac), audioStart(flac) + 16);
    expect(await warnings('planted.flac', planted)).toEqual([]);
    const cut = planted.subarray(0, Math.floor(planted.length * 0.6));
    flac.copy(cut, cut.length - 100, audioStart(flac), audioStart(flac) + 16);
    expect((await warnings('planted-cut.flac', cut)).join()).toMatch(/^truncated: [56]\d% of the audio/);
  });
});
