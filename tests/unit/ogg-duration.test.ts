import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWindow } from '../../app/core/media/file-window.ts';
import { oggDuration } from '../../app/core/media/ogg-duration.ts';
import { makeWav } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

describe('oggDuration', () => {
  const dir = tempDir();
  const wav = join(dir, 'tone.wav');
  makeWav(wav, 330, 7.5);

  // The true length of the source, 7.5 s; for Opus without the pre-skip (RFC 7845), which ffprobe's
  // container duration still counts.
  it.each([
    ['ogg-vorbis', 'tone.ogg', ['-c:a', 'libvorbis', '-q:a', '1']],
    ['opus', 'tone.opus', ['-c:a', 'libopus', '-b:a', '32k']],
  ] as const)('gives the source length of %s from the head and a bounded tail', (codec, name, args) => {
    const path = join(dir, name);
    tool('ffmpeg', ['-loglevel', 'error', '-i', wav, ...args, path]);
    const window = FileWindow.open(path);
    try {
      expect(oggDuration(window, codec)).toBeCloseTo(7.5, 3);
      expect(window.bytesRead).toBeLessThanOrEqual(128 * 1024 + 64 * 1024);
    } finally {
      window.close();
    }
  });

  it('returns null for a stream that is not Ogg', () => {
    const window = FileWindow.open(wav);
    try {
      expect(oggDuration(window, 'ogg-vorbis')).toBeNull();
    } finally {
      window.close();
    }
  });
});
