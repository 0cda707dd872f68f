// Which files a run analyses (fingerprints, embeddings, loudness). A scan analyses every file whose
// analysis is missing or stale. A watcher's look analyses only what it took in (the files changed since
// it began): work a scan left on purpose (a run with --no-fingerprint over a million files) stays a
// scan's, and one file copied in does not start days of decoding. An analysis stopped part-way (Ctrl-C,
// the app quit, a crash) leaves a mark in the home saying what it covered, finished by the next whole look.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';

/** Every file, or those whose change_seq is past this one. */
export type AnalysisScope = 'all' | { readonly changedAfter: number };

/** The change feed's position now: a look's files are those changed after it. */
export const changeSeqNow = (db: Db): number =>
  db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;

const markerOf = (homeDir: string) => join(homeDir, 'analysis-unfinished');

/** What an unfinished analysis covered; null: none was left. (An empty mark, an older Sleeve's: all.) */
function unfinished(homeDir: string): AnalysisScope | null {
  let text: string;
  try {
    text = readFileSync(markerOf(homeDir), 'utf8').trim();
  } catch {
    return null;
  }
  const after = Number(text);
  return text === '' || !Number.isSafeInteger(after) ? 'all' : { changedAfter: after };
}

/** Both scopes' files. */
function union(a: AnalysisScope | null, b: AnalysisScope | null): AnalysisScope | null {
  if (a === null || b === null) return a ?? b;
  if (a === 'all' || b === 'all') return 'all';
  return { changedAfter: Math.min(a.changedAfter, b.changedAfter) };
}

export interface ScopeQuestion {
  /** A watcher's look (else a scan: everything). */
  readonly changesOnly: boolean;
  /** The look is at the whole folder (else at some places in it). */
  readonly whole: boolean;
  /** It took something in (added, updated, moved or missing files). */
  readonly took: boolean;
  /** changeSeqNow as it began. */
  readonly began: number;
}

/**
 * What this run analyses (null: nothing), and a mark kept while it does: `begin` writes it, `end` removes
 * it once the analysis ran to its end. A look at some places leaves another run's mark alone: the next
 * whole look finishes that.
 */
export function analysisScope(homeDir: string, q: ScopeQuestion) {
  const left = q.changesOnly && !q.whole ? null : unfinished(homeDir);
  const own: AnalysisScope | null = !q.changesOnly ? 'all' : q.took ? { changedAfter: q.began } : null;
  const scope = union(own, left);
  const keepsMark = !q.changesOnly || q.whole || unfinished(homeDir) === null;
  return {
    scope,
    begin(): void {
      if (keepsMark && scope !== null)
        writeFileSync(markerOf(homeDir), scope === 'all' ? '' : String(scope.changedAfter));
    },
    end(): void {
      if (keepsMark) rmSync(markerOf(homeDir), { force: true });
    },
  };
}
