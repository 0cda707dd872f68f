// A file the page sends to the backend travels as base64 inside one RPC message, which holds at most
// 8 MiB: the file must stay well under 6 MiB (base64 grows it by a third, the message wraps it).

/** The largest file the page sends (5.5 MiB: 7.3 MiB of base64, room left for the rest of the message). */
export const MAX_UPLOAD_BYTES = 5.5 * 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
