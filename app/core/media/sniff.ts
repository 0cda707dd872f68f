// Recognizes audio by content, not by name. Returns the container and where its own bytes start.

import { type AudioFormat, FORMAT_TABLE, formatRow } from '../../shared/format-table.ts';
import type { ByteWindow } from './file-window.ts';
import { id3v2TagLength } from './id3v2.ts';
import { findMpegStart } from './mpeg-stream.ts';

export type Sniffed =
  | {
      readonly kind: 'audio';
      readonly format: AudioFormat;
      readonly mimeType: string;
      readonly offset: number;
    }
  | { readonly kind: 'other'; readonly reason: string };

/** The MIME type to serve a file of a recorded format with (the library stores the format's name). */
export function mimeTypeOf(format: string | null): string {
  return formatRow(format)?.mime ?? 'application/octet-stream';
}

function ascii(buf: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...buf.subarray(start, start + length));
}

function audio(format: AudioFormat, offset: number): Sniffed {
  return { kind: 'audio', format, mimeType: FORMAT_TABLE[format].mime, offset };
}

function describeOther(head: Uint8Array): string {
  const magic = ascii(head, 0, 8);
  if (magic.startsWith('\x89PNG')) return 'not an audio file (content is a PNG image)';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return 'not an audio file (content is a JPEG image)';
  if (magic.startsWith('GIF8')) return 'not an audio file (content is a GIF image)';
  if (magic.startsWith('%PDF')) return 'not an audio file (content is a PDF document)';
  if (magic.startsWith('PK\x03\x04')) return 'not an audio file (content is a ZIP archive)';
  if (magic.startsWith('RIFF')) return `not an audio file (RIFF container of type "${ascii(head, 8, 4)}")`;
  const sample = head.subarray(0, 512);
  const printable = sample.every((b) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b !== 0x7f));
  if (printable) return 'not an audio file (content is text)';
  return 'not an audio file (unrecognized content)';
}

function sniffOgg(head: Uint8Array): Sniffed {
  const segments = head[26];
  if (segments === undefined) return { kind: 'other', reason: 'truncated Ogg page' };
  const packet = 27 + segments;
  if (ascii(head, packet, 7) === '\x01vorbis') return audio('ogg-vorbis', 0);
  if (ascii(head, packet, 8) === 'OpusHead') return audio('opus', 0);
  if (ascii(head, packet, 5) === '\x7fFLAC') return audio('ogg-flac', 0);
  return {
    kind: 'other',
    reason: `Ogg stream with an unsupported codec ("${ascii(head, packet, 8).replace(/[^\x20-\x7e]/g, '?')}")`,
  };
}

/**
 * Sniffs the container. `mpegLikely` (an .mp3/.mp2 name) allows searching for the first MPEG frame
 * past leading junk; otherwise MPEG audio must start at byte 0 or right after an ID3v2 tag.
 */
export function sniff(window: ByteWindow, mpegLikely: boolean): Sniffed {
  const head = window.head;
  if (window.size === 0) return { kind: 'other', reason: 'empty file (0 bytes)' };
  const id3 = id3v2TagLength(head);
  if (id3 > window.size)
    return { kind: 'other', reason: 'truncated: the ID3v2 tag runs past the end of the file' };
  const at = window.read(id3, 16);
  if (ascii(at, 0, 4) === 'fLaC') return audio('flac', id3);
  if (id3 === 0) {
    const magic = ascii(head, 0, 4);
    const sub = ascii(head, 8, 4);
    if (magic === 'OggS') return sniffOgg(head);
    if (ascii(head, 4, 4) === 'ftyp') return audio('m4a', 0);
    if ((magic === 'RIFF' || magic === 'RF64') && sub === 'WAVE') return audio('wav', 0);
    if (magic === 'FORM' && (sub === 'AIFF' || sub === 'AIFC')) return audio('aiff', 0);
    if (magic === 'wvpk') return audio('wavpack', 0);
    if (magic === 'MAC ') return audio('ape', 0);
    // Musepack SV8, and SV7's "MP+" followed by its stream version.
    if (magic === 'MPCK' || (ascii(head, 0, 3) === 'MP+' && (head[3]! & 0x0f) === 7))
      return audio('musepack', 0);
  }
  const mpeg = findMpegStart(window, id3, id3 > 0 || mpegLikely ? 64 * 1024 : 0);
  if (mpeg) return audio(mpeg.header.layer === 3 ? 'mp3' : 'mp2', mpeg.offset);
  if (id3 > 0) return { kind: 'other', reason: 'an ID3v2 tag followed by no recognizable audio' };
  return { kind: 'other', reason: describeOther(head) };
}
