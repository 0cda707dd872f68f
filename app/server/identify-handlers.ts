// The app's identification: proposals for a selection (the library's copies, then AcoustID when enabled
// in config.json, read at each call so an edit to it needs no restart), and applying the chosen ones.
import { loadConfig } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { applyProposals, propose } from '../core/identify/propose.ts';
import { EditError, history, validateChanges } from '../core/library/edits.ts';
import { filesByIds } from '../core/library/list.ts';
import { selectedIds } from '../core/library/selection.ts';
import { MAX_IDENTIFY } from '../shared/rpc-contract.ts';
import type { Handlers } from './rpc-hub.ts';

export function identifyHandlers(
  db: Db,
  home: Home,
  changed: () => void,
): Pick<Handlers, 'identify.propose' | 'identify.apply'> {
  return {
    'identify.propose': async ({ target, online }) => {
      const ids = selectedIds(db, target);
      if (ids.length > MAX_IDENTIFY)
        throw new EditError(
          `the selection holds ${ids.length} tracks: the app identifies at most ${MAX_IDENTIFY} at once (sleeve identify has no limit)`,
        );
      const acoustid = loadConfig(home.config).identify.acoustid;
      const found = await propose(db, ids, online && acoustid.enabled ? acoustid : null);
      const paths = filesByIds(db, [
        ...new Set([
          ...found.proposals.map((p) => p.fileId),
          ...found.proposals.flatMap((p) => p.sourceId ?? []),
        ]),
      ]);
      return {
        proposals: found.proposals.map((p) => ({
          ...p,
          reasons: [...p.reasons],
          changes: p.changes.map((c) => ({ ...c, before: [...c.before], after: [...c.after] })),
        })),
        online: found.online ?? null,
        onlineEnabled: acoustid.enabled,
        paths: paths.map((f) => ({ id: f.id, path: f.path })),
      };
    },
    'identify.apply': ({ proposals, copies }) => {
      // What crosses the boundary is checked like any edit: known files, once each; known fields, once
      // each per file, under the names the library uses; valid values.
      const fileIds = proposals.map((p) => p.fileId);
      if (new Set(fileIds).size !== fileIds.length) throw new EditError('a track is proposed twice');
      const known = new Set(filesByIds(db, fileIds).map((f) => f.id));
      const unknown = fileIds.find((id) => !known.has(id));
      if (unknown !== undefined) throw new EditError(`there is no track ${unknown}`);
      const chosen = proposals.map((p) => {
        const valid = validateChanges(
          db,
          p.changes.map((c) => ({ key: c.key, values: c.after })),
        );
        return {
          fileId: p.fileId,
          changes: p.changes.map((c, i) => ({
            fileId: p.fileId,
            key: valid[i]!.key,
            before: c.before,
            after: c.after,
          })),
        };
      });
      const { batch, applied, stale } = applyProposals(
        db,
        chosen,
        `identify ${proposals.length} track(s)${copies ? ' and their copies' : ''}`,
        copies ?? false,
      );
      changed();
      return { batch: batch === undefined ? null : history(db, 1, batch)[0]!, applied, stale };
    },
  };
}
