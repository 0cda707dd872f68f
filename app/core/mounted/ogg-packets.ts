// Ogg audio told apart by its packets, not its pages: a tagger may lay the same packets out on pages of
// its own. TagLib (kid3) rewrites every page of a file whose pages are large (ffmpeg writes pages of up
// to 12–13 KB; TagLib's are at most about 4 KB), so 42 pages come back as 117 holding the same 1,732
// packets; compared page by page, such a save was refused although the audio is the same.

import { createHash } from 'node:crypto';

/** Reads up to `length` bytes at `position` into `target` at `offset`: how many it read. */
export type ReadAt = (target: Buffer, offset: number, length: number, position: number) => Promise<number>;

/** The packets of a run of Ogg pages: a digest of each packet's bytes in order, how many there were, and
 *  the last page's granule position (where the decoder stops). */
export interface OggPackets {
  readonly digest: string;
  readonly packets: number;
  readonly granule: bigint;
}

/** Bytes read at a time. A page is at most 65,307 bytes. */
const CHUNK = 1024 * 1024;

/** Bytes [start, end) of a file, read forward a chunk at a time. */
class Forward {
  #buf = Buffer.alloc(0);
  /** Where #buf starts in the file. */
  #at: number;
  readonly #read: ReadAt;
  readonly #end: number;

  constructor(read: ReadAt, start: number, end: number) {
    this.#read = read;
    this.#at = start;
    this.#end = end;
  }

  /** Bytes [at, at + length) (`at` never before the last call's), or undefined past the end. */
  async bytes(at: number, length: number): Promise<Buffer | undefined> {
    if (at + length > this.#end) return undefined;
    if (at > this.#at) {
      this.#buf = this.#buf.subarray(Math.min(at - this.#at, this.#buf.length));
      this.#at = at;
    }
    while (this.#at + this.#buf.length < at + length) {
      const from = this.#at + this.#buf.length;
      const more = Buffer.allocUnsafe(Math.min(Math.max(CHUNK, at + length - from), this.#end - from));
      // A read may give fewer bytes than asked (a file that shrank gives none).
      const n = await this.#read(more, 0, more.length, from);
      if (n <= 0) return undefined;
      this.#buf = Buffer.concat([this.#buf, more.subarray(0, n)]);
    }
    return this.#buf.subarray(at - this.#at, at - this.#at + length);
  }
}

/**
 * The packets of the Ogg pages in bytes [start, end) of a file, after the whole packets `before` (those
 * an old encoder put on the last header page), or why they cannot be read (no page where one should
 * start, a page cut short). A packet begun on a page before `start`, or left unfinished at `end`, counts
 * as the part that is there.
 */
export async function oggPackets(
  read: ReadAt,
  start: number,
  end: number,
  before: readonly Buffer[] = [],
): Promise<OggPackets | string> {
  const file = new Forward(read, start, end);
  const hash = createHash('sha256');
  /** Each packet's bytes then its length (8 bytes): read from the end, one sequence of packets only. */
  const endPacket = (length: number) => {
    const trailer = Buffer.alloc(8);
    trailer.writeUIntLE(length, 0, 6);
    hash.update(trailer);
  };
  for (const packet of before) {
    hash.update(packet);
    endPacket(packet.length);
  }
  let packets = before.length;
  let packetLength = 0;
  let granule = -1n;
  for (let at = start; at < end; ) {
    const head = (await file.bytes(at, 27)) ?? Buffer.alloc(0);
    if (head.toString('latin1', 0, 4) !== 'OggS')
      return `no Ogg page where one should start (audio byte ${at - start})`;
    const segments = head[26]!;
    const lacing = Buffer.from((await file.bytes(at + 27, segments)) ?? []);
    const bodyLength = lacing.reduce((sum, l) => sum + l, 0);
    const body = lacing.length === segments ? await file.bytes(at + 27 + segments, bodyLength) : undefined;
    if (!body) return `an Ogg page runs past the end of the audio (audio byte ${at - start})`;
    granule = head.readBigInt64LE(6);
    let offset = 0;
    for (const l of lacing) {
      hash.update(body.subarray(offset, offset + l));
      offset += l;
      packetLength += l;
      if (l < 255) {
        endPacket(packetLength);
        packets++;
        packetLength = 0;
      }
    }
    at += 27 + segments + bodyLength;
  }
  if (packetLength > 0) endPacket(packetLength);
  return { digest: hash.digest('hex'), packets, granule };
}
