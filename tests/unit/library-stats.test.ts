// The footer's playing time is that of what it counts: one per recording leaves the other copies out (8
// tracks said 28 minutes, the copies' 4 counted), every file when every copy is listed.
import { expect, it } from 'vitest';
import { libraryStats } from '../../app/core/library/stats.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

it('gives the duration of one file per recording, and of every file, beside the total', () => {
  const { db, ids } = taggedLibrary(
    ['a.flac', 'a copy.flac', 'b.flac'].map((name) => ({ path: `/music/${name}`, tags: { title: [name] } })),
  );
  db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 1, NULL, 0), (?, 1, NULL, 0)',
  ).run(ids[0], ids[1]);
  const recordings = libraryStats(db, 'recordings');
  expect(recordings).toMatchObject({ recordings: 2, totalDurationSeconds: 540, listedDurationSeconds: 360 });
  expect(libraryStats(db, 'library')).toMatchObject({
    totalDurationSeconds: 540,
    listedDurationSeconds: 540,
  });
  db.close();
});
