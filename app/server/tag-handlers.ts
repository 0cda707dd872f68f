// The tag editor's methods: a selection summarized (what each field holds, held as the preview the edit
// names), its other copies, and the edit saved as previewed — each field against what the editor loaded,
// so a field changed elsewhere since keeps the newer value (loaded-fields.ts).
import type { Db } from '../core/db/database.ts';
import { EditError, history, readEdit } from '../core/library/edits.ts';
import type { LoadedField } from '../core/library/loaded-fields.ts';
import { previewing } from '../core/library/previewed.ts';
import { selectedIds, summarizeFields } from '../core/library/selection.ts';
import { selectionCopies, withPickedCopies } from '../core/library/selection-copies.ts';
import { suggestValues } from '../core/library/suggest-values.ts';
import { formatCount } from '../shared/count-words.ts';
import type { FieldSummary } from '../shared/rpc-contract.ts';
import { HeldPreviews } from './held-previews.ts';
import type { LibraryWriter } from './library-writer.ts';
import type { Handlers } from './rpc-hub.ts';

export function tagHandlers(
  db: Db,
  writer: LibraryWriter,
  changed: () => void,
): Pick<Handlers, 'tags.summary' | 'tags.copies' | 'tags.edit' | 'tags.suggest'> {
  /** The tag editor's previews (its summaries): the selection's files, what each field was, and when. */
  const selections = new HeldPreviews<{
    ids: number[];
    version: number;
    at: number;
    fields: ReadonlyMap<string, Pick<FieldSummary, 'values' | 'stamp'>>;
    /** The selection in words, for the history. */
    which: string;
  }>();
  /** What the editor loaded of `key` from the summary `token`. */
  const loadedField = (key: string, token: string): LoadedField => {
    const { ids, version, at, fields } = selections.get(token);
    const field = fields.get(key.toLowerCase());
    const stamp = fields.size > 0 && [...fields.values()][0]!.stamp === null ? null : (field?.stamp ?? '');
    return { key, ids, version, at, stamp, values: field ? field.values : [] };
  };

  return {
    'tags.summary': async ({ target }) => {
      // What the editor shows is what the library holds: an earlier edit's tracks derived first.
      await writer.idle();
      const at = Date.now();
      const { summary, ...held } = previewing(db, () => {
        // Summarized by id: what the editor shows and what tags.edit saves are one set of files.
        const ids = selectedIds(db, target);
        const summary = summarizeFields(db, { kind: 'ids', ids });
        const which =
          target.kind === 'query' && target.except.length === 0
            ? target.query
              ? `where ${target.query}`
              : `on ${ids.length === 1 ? '' : 'all '}${formatCount(ids.length, 'track')}`
            : `on ${formatCount(ids.length, 'track')}`;
        const fields = new Map(summary.fields.map((f) => [f.key.toLowerCase(), f]));
        return { summary, ids, at, fields, which };
      });
      return { ...summary, preview: selections.hold(held) };
    },
    'tags.suggest': ({ key, typed }) => ({ values: suggestValues(db, key, typed) }),
    'tags.copies': ({ preview, keys, offset, limit }) =>
      selectionCopies(db, selections.get(preview).ids, keys, offset, limit),
    'tags.edit': async ({ preview, changes, copies = [], description }) => {
      const held = selections.get(preview);
      const { changes: valid, warnings } = readEdit(db, changes);
      if (held.ids.length === 0)
        throw new EditError('the selection has no tracks (they may have been removed)');
      // The files the summary covered, never the query again (a file the watcher took in since is not
      // edited), and only the copies the user ticked.
      const ids = withPickedCopies(db, held.ids, copies);
      const scope =
        copies.length > 0 ? `${held.which} and ${formatCount(copies.length, 'copy', 'copies')}` : held.which;
      const { batch, changedTracks } = await writer.edit({
        op: 'edit',
        previewed: { ids, version: held.version },
        changes: valid,
        loaded: changes.map((c) => loadedField(c.key, c.loadedFrom)),
        description,
        scope,
      });
      changed();
      return {
        batch: batch === undefined ? null : history(db, 1, batch)[0]!,
        changedTracks,
        warnings,
      };
    },
  };
}
