// The app's spreadsheet round trip, as `sleeve export` and `sleeve import` make it: a selection's tags as
// a link the page downloads (the tracks fixed when it is asked for, the text made as it is read), and a
// spreadsheet imported into the selection (sent as a file: uploads.ts) — previewed, then saved as exactly that preview, merged
// against newer edits (app/core/library/tags-import.ts). An import changes only selected tracks: rows
// naming others are left out and counted, so an edit reaches the files the user selected and no more.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { Db } from '../core/db/database.ts';
import { feedPosition } from '../core/library/change-feed.ts';
import { EditError, history } from '../core/library/edits.ts';
import { filesByIds } from '../core/library/list.ts';
import type { Previewed } from '../core/library/previewed.ts';
import { selectedInTableOrder } from '../core/library/selection.ts';
import { exportText, exportWriter, fieldsOfTracks } from '../core/library/tags-export.ts';
import { type ImportPlan, openImport, planImport } from '../core/library/tags-import.ts';
import { EDITOR_FIELDS } from '../shared/fields.ts';
import { IMPORT_PREVIEW_FILES, type Sort, type Target } from '../shared/rpc-contract.ts';
import type { TextFormat } from '../shared/text-formats.ts';
import { HeldPreviews } from './held-previews.ts';
import type { LibraryWriter } from './library-writer.ts';
import { sendError } from './media.ts';
import type { Handlers } from './rpc-hub.ts';
import type { Uploads } from './uploads.ts';

interface HeldExport {
  readonly ids: readonly number[];
  readonly format: TextFormat;
  readonly fields: readonly string[];
  /** Taken before the tracks were listed: an edit landing meanwhile counts as newer than the export. */
  readonly readAt: number;
}

const MIME: Record<TextFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Exports asked for and not yet downloaded (each may hold a million ids: the page downloads at once). */
const MAX_EXPORTS = 4;
/** How long a link stays good: the page downloads it at once. */
const EXPORT_LIFE_MS = 10 * 60_000;

/** Exports asked for: /export/ID streams one, once, within EXPORT_LIFE_MS. The id (random, unguessable)
 *  is the link's only credential, so the app's own token never sits in a browser's download history. */
export class ExportLinks {
  readonly #held = new Map<string, HeldExport & { readonly until: number }>();

  hold(held: HeldExport): string {
    const id = randomUUID();
    this.#held.set(id, { ...held, until: Date.now() + EXPORT_LIFE_MS });
    // The oldest go first (a Map iterates in insertion order).
    for (const old of this.#held.keys()) {
      if (this.#held.size <= MAX_EXPORTS) break;
      this.#held.delete(old);
    }
    return id;
  }

  /** Streams the export `id` names (then forgets it), made from the library as it is now. */
  serve(db: Db, req: IncomingMessage, res: ServerResponse, id: string): void {
    const held = this.#held.get(id);
    if (!held || held.until < Date.now())
      return void sendError(res, 404, 'this export is no longer held: export again');
    res.writeHead(200, {
      'Content-Type': MIME[held.format],
      'Content-Disposition': `attachment; filename="sleeve-tags.${held.format}"`,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    this.#held.delete(id);
    const writer = exportWriter(held.format, held.fields, held.readAt);
    // A failure half-way (the library closed as the backend stops) ends the response, never the process.
    pipeline(Readable.from(exportText(db, held.ids, writer)), res, () => {});
  }
}

/** A conflict's values are text for tags (an import's are), pictures for covers. */
const isText = (v: unknown): v is string => typeof v === 'string';

type HeldImport = Previewed & Pick<ImportPlan, 'plan' | 'conflicts'> & { readonly name: string };

export function tagsTextHandlers(
  db: Db,
  writer: LibraryWriter,
  exports: ExportLinks,
  uploads: Uploads,
  changed: () => void,
): Pick<Handlers, 'tags.exportLink' | 'tags.importPlan' | 'tags.importApply'> {
  const imports = new HeldPreviews<HeldImport>();
  const selection = (target: Target, sort: Sort | null = null) => {
    const ids = selectedInTableOrder(db, target, sort);
    if (ids.length === 0) throw new EditError('the selection has no tracks (they may have been removed)');
    return ids;
  };
  return {
    'tags.exportLink': async ({ target, sort, format, allFields }) => {
      const readAt = Date.now(); // before anything is read, as `sleeve export`'s
      const ids = selection(target, sort);
      const fields = allFields ? fieldsOfTracks(db, ids) : [...EDITOR_FIELDS];
      const id = exports.hold({ ids, format, fields, readAt });
      return { url: `/export/${id}`, name: `sleeve-tags.${format}`, tracks: ids.length };
    },
    'tags.importPlan': async ({ target, name, format, upload }) => {
      // What the preview shows is what the library holds: an earlier edit's tracks derived first; the
      // version taken before anything is read (previewed.ts).
      await writer.idle();
      const version = feedPosition(db);
      let planned: ImportPlan;
      try {
        const within = new Set(selection(target));
        planned = await planImport(db, await openImport(uploads.path(upload), format), within);
      } finally {
        uploads.release(upload); // read once, whatever came of it
      }
      const files = [...new Set(planned.plan.map((c) => c.fileId))];
      const shown = new Set(files.slice(0, IMPORT_PREVIEW_FILES));
      const conflicts = planned.conflicts.slice(0, IMPORT_PREVIEW_FILES);
      const named = [...new Set([...shown, ...conflicts.map((c) => c.fileId)])];
      const { plan, conflicts: kept, ids } = planned;
      return {
        preview: imports.hold(
          { ids, version, plan, conflicts: kept, name },
          ids.length + plan.length + kept.length,
        ),
        changes: plan
          .filter((c) => shown.has(c.fileId))
          .map((c) => ({ ...c, before: [...c.before], after: [...c.after] })),
        files: files.length,
        conflicts: conflicts.map((c) => ({
          fileId: c.fileId,
          key: c.key,
          library: c.library.filter(isText),
          tagger: c.tagger.filter(isText),
        })),
        conflictsTotal: planned.conflicts.length,
        outside: planned.outside.count,
        outsidePaths: [...planned.outside.paths],
        warnings: planned.warnings.slice(0, IMPORT_PREVIEW_FILES),
        paths: filesByIds(db, named, []).map((f) => ({ id: f.id, path: f.path })),
      };
    },
    'tags.importApply': async ({ preview }) => {
      const held = imports.get(preview);
      const { batch, changedTracks } = await writer.import({
        op: 'import',
        previewed: { ids: held.ids, version: held.version },
        plan: held.plan,
        conflicts: held.conflicts,
        description: `Import tags from ${held.name}`,
      });
      imports.release(preview);
      changed();
      return {
        batch: batch === undefined ? null : history(db, 1, batch)[0]!,
        changedTracks,
        conflicts: held.conflicts.length,
      };
    },
  };
}
