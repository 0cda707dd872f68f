// The app's identification: proposals for a selection (the library's copies, and AcoustID and MusicBrainz
// when enabled in config.json, read at each call so an edit to it needs no restart), and applying the
// chosen ones, with the releases' front covers when asked.
import { loadConfig } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import {
  addReleaseCovers,
  applyProposals,
  filesNamed,
  onlineSources,
  propose,
} from '../core/identify/propose.ts';
import { EditError, history, type PlannedChange, validateChanges } from '../core/library/edits.ts';
import { filesByIds } from '../core/library/list.ts';
import { selectedIds } from '../core/library/selection.ts';
import { MAX_IDENTIFY } from '../shared/rpc-contract.ts';
import { type IdentifyEmit, IdentifyRuns } from './identify-runs.ts';
import type { Handlers } from './rpc-hub.ts';

type Proposed = Awaited<ReturnType<typeof propose>>;
type Applying = Parameters<Handlers['identify.apply']>[0]['proposals'];

/** A change as it crosses to the renderer: plain arrays. */
const change = (c: PlannedChange) => ({ ...c, before: [...c.before], after: [...c.after] });

/** identify.propose's answer: the proposals, what the sources said, which sources are on, and the
 *  paths of the files the proposals name. */
function proposalsReply(
  found: Proposed,
  config: ReturnType<typeof loadConfig>['identify'],
  paths: ReadonlyArray<{ id: number; path: string }>,
) {
  return {
    proposals: found.proposals.map((p) => ({
      ...p,
      reasons: [...p.reasons],
      changes: p.changes.map(change),
      copies: (p.copies ?? []).map((c) => ({ fileId: c.fileId, changes: c.changes.map(change) })),
    })),
    online: found.online ?? null,
    warnings: found.warnings,
    albums: found.albums ?? null,
    onlineEnabled: config.acoustid.enabled,
    albumsEnabled: config.musicbrainz.enabled,
    coversEnabled: config.coverart.enabled,
    paths: paths.map((f) => ({ id: f.id, path: f.path })),
  };
}

/**
 * The proposals identify.apply was sent, checked like any edit: known files, once each (a proposal's or a
 * copy's); known fields, once each per file, under the names the library uses; valid values.
 */
function checkedChoices(db: Db, proposals: Applying) {
  const fileIds = proposals.flatMap((p) => [p.fileId, ...(p.copies ?? []).map((c) => c.fileId)]);
  if (new Set(fileIds).size !== fileIds.length) throw new EditError('a track is proposed twice');
  const known = new Set(filesByIds(db, fileIds).map((f) => f.id));
  const unknown = fileIds.find((id) => !known.has(id));
  if (unknown !== undefined) throw new EditError(`there is no track ${unknown}`);
  const checked = (fileId: number, changes: ReadonlyArray<Omit<PlannedChange, 'fileId'>>) => {
    const valid = validateChanges(
      db,
      changes.map((c) => ({ key: c.key, values: c.after })),
    );
    return changes.map((c, i) => ({ fileId, key: valid[i]!.key, before: c.before, after: c.after }));
  };
  return proposals.map((p) => ({
    fileId: p.fileId,
    releaseId: p.releaseId,
    changes: checked(p.fileId, p.changes),
    copies: (p.copies ?? []).map((c) => ({ fileId: c.fileId, changes: checked(c.fileId, c.changes) })),
  }));
}

export function identifyHandlers(
  db: Db,
  home: Home,
  changed: () => void,
  emit: IdentifyEmit,
): Pick<Handlers, 'identify.propose' | 'identify.cancel' | 'identify.apply'> {
  const runs = new IdentifyRuns(emit);
  return {
    'identify.propose': async ({ target, online, chosen, run }, { closed }) => {
      const ids = selectedIds(db, target);
      if (ids.length > MAX_IDENTIFY)
        throw new EditError(
          `the selection holds ${ids.length} tracks: the app identifies at most ${MAX_IDENTIFY} at once (sleeve identify has no limit)`,
        );
      const config = loadConfig(home.config).identify;
      const found = await runs.within(run, closed, (signal) =>
        propose(db, ids, onlineSources(config, !online), {
          chosen: chosen ? new Map(Object.entries(chosen)) : undefined,
          signal,
          onProgress:
            run === undefined
              ? undefined
              : (service, done, total) => runs.progress({ run, service, done, total }),
          // Always planned: the panel shows them, and applies them, only while its box is ticked.
          copies: true,
        }),
      );
      return proposalsReply(found, config, filesByIds(db, [...filesNamed(found.proposals)]));
    },
    'identify.cancel': ({ run }) => ({ cancelled: runs.cancel(run) }),
    'identify.apply': async ({ proposals, cover, run }, { closed }) => {
      const chosen = checkedChoices(db, proposals);
      const coverart = loadConfig(home.config).identify.coverart;
      if (cover && !coverart.enabled)
        throw new EditError('the Cover Art Archive is off: set identify.coverart.enabled in config.json');
      // The covers' run is named before anything is saved: a name already in use refuses the whole call.
      const apply = async (signal: AbortSignal | undefined) => {
        const applied = applyProposals(db, chosen, {
          description: `identify ${proposals.length} track(s)${chosen.some((p) => p.copies.length > 0) ? ' and their copies' : ''}`,
          origin: 'app',
        });
        changed(); // the tags show at once; the covers follow
        const covers = signal
          ? await addReleaseCovers(db, chosen, applied, {
              coverart,
              signal,
              onProgress:
                run === undefined
                  ? undefined
                  : (done, total) => runs.progress({ run, service: 'Cover Art Archive', done, total }),
            })
          : { files: 0, problems: [] };
        if (covers.files > 0) changed();
        return {
          batch: applied.batch === undefined ? null : history(db, 1, applied.batch)[0]!,
          applied: applied.applied,
          stale: applied.stale,
          coverProblems: covers.problems,
        };
      };
      return cover ? runs.within(run, closed, apply) : apply(undefined);
    },
  };
}
