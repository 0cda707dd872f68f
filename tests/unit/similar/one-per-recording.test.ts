// "More like this", one per recording: the kept copy is listed in its recording's place, at the
// recording's distance (its nearest copy's), so the list is in the order of the distances it shows.
import { describe, expect, test } from 'vitest';
import { onePerRecording } from '../../../app/core/similar/similar.ts';

describe('one copy per recording', () => {
  test("the kept copy takes its nearest copy's place and distance", () => {
    // Recording 7: a transcode (11) nearest, the kept copy (12) further out. Recording 8: only a copy
    // not kept was reached. Files 20 and 21 belong to no recording group.
    const found = [
      { fileId: 11, distance: 0.58 },
      { fileId: 20, distance: 0.6 },
      { fileId: 13, distance: 0.7 },
      { fileId: 21, distance: 0.727 },
      { fileId: 12, distance: 0.736 },
    ];
    const groupOf = new Map([
      [11, 7],
      [12, 7],
      [13, 8],
    ]);
    const listed = onePerRecording(found, groupOf, new Set([11, 13]));
    expect(listed).toEqual([
      { fileId: 12, distance: 0.58 },
      { fileId: 20, distance: 0.6 },
      { fileId: 13, distance: 0.7 },
      { fileId: 21, distance: 0.727 },
    ]);
    const distances = listed.map((f) => f.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });
});
