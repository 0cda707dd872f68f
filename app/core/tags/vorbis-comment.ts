// FLAC VORBIS_COMMENT and PICTURE block bodies (docs/tag-formats.md: FLAC metadata blocks).
import type { NativeTag, RawPicture } from './native.ts';

const utf8 = new TextDecoder('utf-8');

/** Comments as {id: NAME upper-cased, value}; malformed lengths end the list instead of throwing. */
export function parseVorbisComment(body: Uint8Array): { vendor: string; tags: NativeTag[] } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const tags: NativeTag[] = [];
  if (body.length < 8) return { vendor: '', tags };
  const vendorLength = view.getUint32(0, true);
  if (4 + vendorLength + 4 > body.length) return { vendor: '', tags };
  const vendor = utf8.decode(body.subarray(4, 4 + vendorLength));
  let pos = 4 + vendorLength;
  const count = view.getUint32(pos, true);
  pos += 4;
  for (let i = 0; i < count && pos + 4 <= body.length; i++) {
    const length = view.getUint32(pos, true);
    pos += 4;
    if (pos + length > body.length) break;
    const comment = utf8.decode(body.subarray(pos, pos + length));
    pos += length;
    const eq = comment.indexOf('=');
    if (eq > 0) tags.push({ id: comment.slice(0, eq).toUpperCase(), value: comment.slice(eq + 1) });
  }
  return { vendor, tags };
}

export function parseFlacPicture(body: Uint8Array): RawPicture | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let pos = 0;
  const u32 = () => {
    if (pos + 4 > body.length) throw new RangeError('short picture block');
    const v = view.getUint32(pos);
    pos += 4;
    return v;
  };
  const bytes = (n: number) => {
    if (pos + n > body.length) throw new RangeError('short picture block');
    const b = body.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  try {
    const type = u32();
    const mime = Buffer.from(bytes(u32())).toString('latin1');
    const description = utf8.decode(bytes(u32()));
    pos += 16; // width, height, depth, colours: measured from the image itself instead
    const data = bytes(u32());
    return { type, mime, description, data };
  } catch {
    return undefined;
  }
}
