// Lyrics as players show them: an LRC's times (several on a line, minutes past 99, a comma-less
// fraction), its offset and metadata tags; plain text as it is.
import { describe, expect, it } from 'vitest';
import { parseLyrics } from '../../app/core/library/lyrics.ts';

describe('lyrics', () => {
  it('reads LRC: lines in time order, a line with two times twice, the offset kept, metadata left out', () => {
    const lrc = [
      '\uFEFF[ar:Ada North]',
      '[ti:Kestrel]',
      '[offset:+250]',
      '[00:12.50]First line',
      '[00:05.1][01:30.00]Chorus',
      '  [100:00]Very late',
      '[00:20]',
    ].join('\r\n');
    expect(parseLyrics(lrc, 'lrc')).toEqual({
      source: 'lrc',
      synced: true,
      offset: 250,
      lines: [
        { start: 5100, value: 'Chorus' },
        { start: 12_500, value: 'First line' },
        { start: 20_000, value: '' },
        { start: 90_000, value: 'Chorus' },
        { start: 6_000_000, value: 'Very late' },
      ],
    });
  });

  it('keeps plain text as lines, blank lines inside, none around', () => {
    expect(parseLyrics('\nOne\n\nTwo [not a time]\n\n', 'tags')).toEqual({
      source: 'tags',
      synced: false,
      offset: 0,
      lines: [{ value: 'One' }, { value: '' }, { value: 'Two [not a time]' }],
    });
    expect(parseLyrics(' \n\n', 'tags')).toBeUndefined();
  });
});
