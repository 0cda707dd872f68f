// Ogg audio told apart by its packets: the same packets laid out on pages of any size read as the same,
// whatever the pages' sequence numbers; a byte, a packet boundary or the last granule position changed
// reads as different; a cut page says where.
import { describe, expect, it } from 'vitest';
import { type OggPackets, oggPackets } from '../../../app/core/mounted/ogg-packets.ts';
import { lcg } from '../../helpers.ts';

/** `packets` laid out on pages of at most `pageBody` bytes (a packet may go on over pages); the last
 *  page's granule position is `granule`. */
function paginate(packets: readonly Buffer[], pageBody: number, granule: bigint): Buffer {
  const pages: Buffer[] = [];
  let lacing: number[] = [];
  let body: Buffer[] = [];
  let bodyLength = 0;
  const flush = (last: boolean) => {
    const header = Buffer.alloc(27 + lacing.length);
    header.write('OggS', 0, 'latin1');
    header.writeBigInt64LE(last ? granule : -1n, 6);
    header.writeUInt32LE(pages.length + 7, 18);
    header[26] = lacing.length;
    Buffer.from(lacing).copy(header, 27);
    pages.push(header, ...body);
    [lacing, body, bodyLength] = [[], [], 0];
  };
  packets.forEach((packet, i) => {
    for (let at = 0; ; at += 255) {
      if (lacing.length === 255 || bodyLength + 255 > pageBody) flush(false);
      const n = Math.min(255, packet.length - at);
      lacing.push(n);
      body.push(packet.subarray(at, at + n));
      bodyLength += n;
      if (n < 255) break;
    }
    if (i === packets.length - 1) flush(true);
  });
  return Buffer.concat(pages);
}

const next = lcg(11);
const PACKETS = Array.from({ length: 300 }, (_, i) =>
  Buffer.from(Array.from({ length: i % 7 === 0 ? 255 * 2 : 1 + (next() % 900) }, () => next() & 0xff)),
);

async function packetsOf(file: Buffer, start = 0, end = file.length): Promise<OggPackets | string> {
  // At most 1,000 bytes a read, as a read may give: pages straddle reads.
  return oggPackets(
    async (target, offset, length, position) =>
      file.copy(target, offset, position, position + Math.min(length, 1000)),
    start,
    end,
  );
}

describe('oggPackets', () => {
  const large = paginate(PACKETS, 12_000, 480_000n);
  const small = paginate(PACKETS, 4_000, 480_000n);

  it('reads the same packets on pages of other sizes as the same', async () => {
    expect(large.length).not.toBe(small.length);
    const a = await packetsOf(large);
    expect(a).toEqual(await packetsOf(small));
    expect(a).toMatchObject({ packets: 300, granule: 480_000n });
  });

  it('reads a byte changed, a packet split in two or another end as different', async () => {
    const before = (await packetsOf(large)) as OggPackets;
    const changed = PACKETS.map((p, i) =>
      i === 150 ? Buffer.concat([p.subarray(0, -1), Buffer.from([p.at(-1)! ^ 1])]) : p,
    );
    expect(((await packetsOf(paginate(changed, 4_000, 480_000n))) as OggPackets).digest).not.toBe(
      before.digest,
    );
    const split = [
      ...PACKETS.slice(0, 10),
      PACKETS[10]!.subarray(0, 5),
      PACKETS[10]!.subarray(5),
      ...PACKETS.slice(11),
    ];
    const splitRead = (await packetsOf(paginate(split, 12_000, 480_000n))) as OggPackets;
    expect(splitRead.packets).toBe(301);
    expect(splitRead.digest).not.toBe(before.digest);
    expect(((await packetsOf(paginate(PACKETS, 12_000, 479_999n))) as OggPackets).granule).toBe(479_999n);
  });

  it('says where pages stop being pages, or one is cut short', async () => {
    expect(await packetsOf(Buffer.concat([large, Buffer.from('junk at the end')]))).toMatch(
      new RegExp(`^no Ogg page where one should start \\(audio byte ${large.length}\\)$`),
    );
    expect(await packetsOf(large, 0, large.length - 10)).toMatch(
      /^an Ogg page runs past the end of the audio/,
    );
  });
});
