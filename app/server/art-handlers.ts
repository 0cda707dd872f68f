// The tag editor's cover art: the selection's front cover, and pictures set or removed as one edit.
import type { Db } from '../core/db/database.ts';
import { writeTransaction } from '../core/db/write-lock.ts';
import { ArtStore, PICTURE_TYPES } from '../core/library/art.ts';
import {
  type CoverChange,
  type CoverImage,
  coverImage,
  MAX_COVER_BYTES,
  planCover,
  storeCover,
} from '../core/library/cover-edit.ts';
import { applyEdit, EditError, history } from '../core/library/edits.ts';
import { selectedIds } from '../core/library/selection.ts';
import { withPickedCopies } from '../core/library/selection-copies.ts';
import { formatCount } from '../shared/count-words.ts';
import type { Handlers } from './rpc-hub.ts';
import type { Uploads } from './uploads.ts';

export function artHandlers(
  db: Db,
  uploads: Uploads,
  changed: () => void,
): Pick<Handlers, 'art.summary' | 'art.edit'> {
  const art = new ArtStore(db);
  return {
    'art.summary': ({ target }) => {
      const ids = selectedIds(db, target);
      const fronts = [...art.picturesOf(ids).values()].flatMap(
        (pictures) => pictures.find((p) => p.type === PICTURE_TYPES.front) ?? [],
      );
      const shared = fronts.every((p) => p.hash === fronts[0]?.hash);
      return { tracks: ids.length, withFront: fronts.length, front: shared ? (fronts[0] ?? null) : null };
    },
    'art.edit': ({ target, change, copies }) => {
      const selected = selectedIds(db, target);
      if (selected.length === 0)
        throw new EditError('the selection has no tracks (they may have been removed)');
      const ids = withPickedCopies(db, selected, copies ?? []);
      let image: CoverImage | undefined;
      let cover: CoverChange;
      if (change.kind === 'set') {
        image = coverImage(uploads.take(change.upload, MAX_COVER_BYTES, 'a cover'), 'the image');
        cover = { kind: 'set', hash: image.hash, type: change.type };
      } else cover = change;
      const plan = planCover(db, ids, cover);
      const what =
        cover.kind === 'set'
          ? 'set a cover'
          : cover.type === 'all'
            ? 'remove every picture'
            : 'remove a cover';
      const batchId = writeTransaction(db, () => {
        if (image && plan.length > 0) storeCover(db, image);
        return applyEdit(
          db,
          [],
          { description: `art: ${what} on ${formatCount(ids.length, 'track')}`, origin: 'app' },
          plan,
        );
      });
      changed();
      return {
        batch: batchId === undefined ? null : history(db, 1, batchId)[0]!,
        changedTracks: plan.length,
      };
    },
  };
}
