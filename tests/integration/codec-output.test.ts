// Whatever FFmpeg says about damaged data (its decoders log every packet they cannot decode),
// `sleeve scan --json` writes JSON lines only — progress and warnings on stderr, the summary on stdout —
// and what was said becomes the damaged file's warning, with where in the audio, so each damaged file
// says why.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, lcg, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

/** Ogg's CRC-32 (polynomial 0x04c11db7, MSB first), bit by bit: independent of Sleeve's table. */
function oggCrc(bytes: Uint8Array): number {
  let c = 0;
  for (const b of bytes) {
    c ^= b << 24;
    for (let i = 0; i < 8; i++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  }
  return c >>> 0;
}

interface Page {
  readonly at: number;
  readonly length: number;
  /** Each packet (or packet part) on the page: offset and size. */
  readonly packets: Array<{ at: number; size: number }>;
}

function oggPages(data: Buffer): Page[] {
  const pages: Page[] = [];
  for (let at = 0; at + 27 <= data.length; ) {
    expect(data.toString('latin1', at, at + 4)).toBe('OggS');
    const segments = data[at + 26]!;
    const packets: Page['packets'] = [];
    let body = at + 27 + segments;
    let size = 0;
    for (let i = 0; i < segments; i++) {
      size += data[at + 27 + i]!;
      if (data[at + 27 + i]! < 255) {
        packets.push({ at: body, size });
        body += size;
        size = 0;
      }
    }
    pages.push({ at, length: body + size - at, packets });
    at = body + size;
  }
  return pages;
}

/** Recomputes a page's CRC after its bytes were changed, so only the codec can tell. */
function resign(data: Buffer, page: Page): void {
  data.writeUInt32LE(0, page.at + 22);
  data.writeUInt32LE(oggCrc(data.subarray(page.at, page.at + page.length)), page.at + 22);
}

const ff = (args: string[]) => tool('ffmpeg', ['-v', 'error', '-y', ...args]);

let music: string;
let home: string;

beforeAll(() => {
  music = join(tempDir(), 'music');
  mkdirSync(music);
  home = join(tempDir(), 'home');
  const wav = join(tempDir(), 'tone.wav');
  makeWav(wav, 440, 12, 48000, 2);
  ff(['-i', wav, '-c:a', 'libopus', '-b:a', '96k', join(music, 'good.opus')]);
  const opus = readFileSync(join(music, 'good.opus'));
  const pages = oggPages(opus);
  const audio = pages.slice(2, -1); // after OpusHead and OpusTags; the last page left whole

  // Every audio packet made invalid for Opus (code 3 with zero frames), pages re-signed: only the
  // decoder notices, and says so.
  const invalid = Buffer.from(opus);
  for (const page of audio) {
    for (const p of page.packets)
      if (p.size >= 2) {
        invalid[p.at] = invalid[p.at]! | 3;
        invalid[p.at + 1] = 0;
      }
    resign(invalid, page);
  }
  // The first audio page keeps its packets so the file still has some audio.
  opus.copy(invalid, audio[0]!.at, audio[0]!.at, audio[0]!.at + audio[0]!.length);
  writeFileSync(join(music, 'invalid-packets.opus'), invalid);

  // Random bytes over the audio pages, CRCs left as they were.
  const noisy = Buffer.from(opus);
  const rand = lcg(21, 8);
  const from = audio[1]!.at;
  for (let i = 0; i < 300; i++) noisy[from + (rand() % (opus.length - from))] = rand() & 0xff;
  writeFileSync(join(music, 'noisy-pages.opus'), noisy);

  // Cut in the middle of its audio.
  writeFileSync(join(music, 'truncated.opus'), opus.subarray(0, Math.floor(opus.length * 0.6)));

  // OpusHead claims 255 channels with the single-stream mapping (at most 2 are possible).
  const channels = Buffer.from(opus);
  channels[pages[0]!.packets[0]!.at + 9] = 255;
  resign(channels, pages[0]!);
  writeFileSync(join(music, 'channels.opus'), channels);

  // An AAC file with bytes changed in its audio.
  ff(['-i', wav, '-c:a', 'aac', '-b:a', '128k', join(music, 'good.m4a')]);
  const m4a = readFileSync(join(music, 'good.m4a'));
  const rand2 = lcg(7, 8);
  for (let i = 0; i < 200; i++) {
    const at = Math.floor(m4a.length / 4) + (rand2() % Math.floor(m4a.length / 2));
    m4a[at] = rand2() & 0xff;
  }
  writeFileSync(join(music, 'damaged.m4a'), m4a);

  // A FLAC with a stretch of zeros over some frames.
  ff(['-i', wav, '-c:a', 'flac', join(music, 'good.flac')]);
  const flac = readFileSync(join(music, 'good.flac'));
  flac.fill(0, flac.length >> 1, (flac.length >> 1) + 4096);
  writeFileSync(join(music, 'damaged.flac'), flac);
});

interface Info {
  readonly path: string;
  readonly status: string;
  readonly error: string | null;
  readonly warning: string | null;
}

/** Every non-empty line of `text`, parsed; a line that is not JSON fails the test with it shown. */
function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(line.slice(0, 200))}`);
      }
    });
}

describe('scan --json with damaged files', () => {
  it('writes JSON lines only, and gives every damaged file its reason', () => {
    const before = hashTree(music);
    const r = sleeveHere(home, ['scan', '--json', '--workers', '2', music]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\[opus|\[flac|\[aac/);
    const events = jsonLines(r.stderr) as Array<{ event?: string }>;
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(['progress', 'warning']).toContain(e.event);
    const [summary] = jsonLines(r.stdout) as Array<{ added: number }>;
    expect(summary).toMatchObject({ added: 9 });
    expect(hashTree(music)).toEqual(before);

    const tracks = sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--all-copies',
      '--json',
    ]);
    const reason = new Map<string, string | null>();
    const fingerprintError = new Map<string, string | null>();
    for (const t of tracks) {
      const info = sleeveHereJson<Info>(home, ['info', String(t.id), '--json']);
      const name = info.path.slice(music.length + 1);
      reason.set(name, info.error ?? info.warning);
      const fp = sleeveHere(home, ['fingerprint', String(t.id), '--json']);
      fingerprintError.set(name, (JSON.parse(fp.stdout) as { error?: string }).error ?? null);
    }
    for (const good of ['good.opus', 'good.m4a', 'good.flac']) {
      expect(reason.get(good), good).toBeNull();
      expect(fingerprintError.get(good), good).toBeNull();
    }
    expect(reason.get('invalid-packets.opus')).toMatch(
      /^the decoder reported: \[opus\] Error parsing the packet header\. \(\d+ times, the first at 0:0\d\)$/,
    );
    expect(reason.get('noisy-pages.opus')).toMatch(/the decoder reported: \[ogg\] CRC mismatch! \(\d+ times/);
    expect(reason.get('truncated.opus')).toMatch(/^truncated: /);
    expect(reason.get('damaged.m4a')).toMatch(/^the decoder reported: .*\[aac\]/);
    expect(reason.get('damaged.flac')).toMatch(/^the decoder reported: \[flac\] .+ \(at 0:0\d\)/);
    // Not playable at all: the analysis says why.
    expect(fingerprintError.get('channels.opus')).toMatch(/.+/);
  });

  it('prints nothing a decoder said without --json either', () => {
    const r = sleeveHere(join(tempDir(), 'home'), ['scan', '--no-embeddings', music]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
