// A table row's tags: asked for in lower case (a column's key), found whatever case the file wrote the
// name in (an ID3 TXXX:ASIN, an MP4 freeform CATALOGNUMBER), multiple values joined.
import { describe, expect, it } from 'vitest';
import type { FileItem } from '../../app/core/library/list.ts';
import { trackRow } from '../../app/server/track-row.ts';

const item: FileItem = {
  id: 3,
  path: '/music/a.mp3',
  format: 'mp3',
  codec: 'mp3',
  duration: 1,
  bitrate: 128_000,
  sampleRate: 44_100,
  channels: 2,
  bitDepth: null,
  size: 10,
  status: 'ok',
  error: null,
  warning: null,
  audioStart: 0,
  audioEnd: 10,
  tags: { ASIN: ['B00X'], Genre: ['Rock', 'Pop'], title: ['Song'] },
};

describe('trackRow', () => {
  it('finds a column’s tag whatever case its name was written in', () => {
    const row = trackRow(item, ['title', 'asin', 'genre', 'label'], ['genre']);
    expect(row.tags).toEqual({ title: 'Song', asin: 'B00X', genre: 'Rock; Pop' });
    expect(row.edited).toEqual(['genre']);
  });
});
