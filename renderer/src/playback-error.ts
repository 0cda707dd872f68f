// Why the player's <audio> element failed, in words: the element only knows "format not supported" or
// "network error", which cannot tell a missing file from a codec. The backend's answer for the same URL
// says which it is (app/server/media.ts): the file is missing, could not be read when scanned, needs
// ffmpeg, or ffmpeg failed, and why.

/** Longest reason shown: the backend's are a line; a proxy's error page is not. */
const MAX_REASON = 500;

export async function whyNotPlaying(src: string, backendOpen: boolean): Promise<string> {
  const unreachable = 'Sleeve’s backend is not answering (play it again once it is back).';
  if (!backendOpen) return unreachable;
  let reply: Response;
  try {
    // One byte is enough to learn that the file is served; a transcoded stream starts only to be closed.
    reply = await fetch(src, { headers: { Range: 'bytes=0-0' } });
  } catch {
    return unreachable;
  }
  if (reply.ok) {
    void reply.body?.cancel();
    return 'the file is there, but the browser could not play what it holds (is it damaged?).';
  }
  const text = (await reply.text()).trim().slice(0, MAX_REASON);
  return text ? `${text.replace(/\.$/, '')}.` : `the backend answered ${reply.status}.`;
}
