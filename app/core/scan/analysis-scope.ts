// Which files a run analyses (fingerprints, embeddings, loudness). A scan analyses every file whose
// analysis is missing or stale. A watcher's look analyses only what it took in — the files its scan wrote
// (files.scanned_at since the look began; an edit or a derived figure never sets it): work a scan left on
// purpose (a run with --no-fingerprint over a million files) stays a scan's, and one file copied in does
// not start days of decoding. What is left to do is marked in the home (`analysis-unfinished`): a look
// marks what it reads before it reads it, and an analysis what it covers, each mark cleared once the work
// is done; a run stopped part-way (Ctrl-C, the app quit, a crash) leaves it to the next whole look.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file, or those the scan wrote since a time (ms since the epoch). */
export type AnalysisScope = 'all' | { readonly scannedSince: number };

/** Both scopes' files. */
function union(a: AnalysisScope | null, b: AnalysisScope | null): AnalysisScope | null {
  if (a === null || b === null) return a ?? b;
  if (a === 'all' || b === 'all') return 'all';
  return { scannedSince: Math.min(a.scannedSince, b.scannedSince) };
}

/** The home's mark of analysis left to do. */
class AnalysisMark {
  readonly #path: string;

  constructor(homeDir: string) {
    this.#path = join(homeDir, 'analysis-unfinished');
  }

  /** What is left; null: nothing. (An empty mark, an older Sleeve's or a scan's: every file.) */
  read(): AnalysisScope | null {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8').trim();
    } catch {
      return null;
    }
    const since = Number(text);
    return text === '' || !Number.isSafeInteger(since) ? 'all' : { scannedSince: since };
  }

  /** Marks `scope` as left to do (null: nothing is). */
  write(scope: AnalysisScope | null): void {
    if (scope === null) rmSync(this.#path, { force: true });
    else writeFileSync(this.#path, scope === 'all' ? '' : String(scope.scannedSince));
  }
}

/**
 * A run's analysis, planned around its scan. `start` before the scan: a look marks what it is about to
 * read. `scope` after it: a scan's is every file; a look's, what it took in, and for a whole look also
 * what earlier runs left. `finish` once the analysis ran to its end (or there was none to run): a look
 * at some places leaves the earlier runs' mark as it was, for the next whole look.
 */
export class RunAnalysis {
  readonly #mark: AnalysisMark;
  readonly #look: boolean;
  readonly #whole: boolean;
  /** Every kind of analysis asked for: a scan that skips one (--no-fingerprint) marks nothing and clears
   *  nothing, as what it leaves undone was a choice, and a look's mark still needs that kind. */
  readonly #everyKind: boolean;
  readonly #left: AnalysisScope | null;
  readonly #began = Date.now();

  /** `look`: a watcher's (else a scan); `whole`: of the whole folder (else of some places in it);
   *  `everyKind`: fingerprints, embeddings and loudness all asked for. */
  constructor(homeDir: string, run: { look: boolean; whole: boolean; everyKind: boolean }) {
    this.#mark = new AnalysisMark(homeDir);
    this.#look = run.look;
    this.#whole = run.whole;
    this.#everyKind = run.everyKind;
    this.#left = this.#mark.read();
  }

  /** Before the scan: a look stopped while reading leaves what it read to the next whole look. */
  start(): void {
    if (this.#look) this.#mark.write(union(this.#left, { scannedSince: this.#began }));
  }

  /** What to analyse, given whether the scan took anything in; null: nothing. */
  scope(took: boolean): AnalysisScope | null {
    if (!this.#look) return 'all';
    const own = took ? { scannedSince: this.#began } : null;
    return this.#whole ? union(own, this.#left) : own;
  }

  /** The analysis (of `scope`) begins: marked until it ends. */
  begin(scope: AnalysisScope): void {
    if (this.#look) this.#mark.write(union(scope, this.#left));
    else if (this.#everyKind) this.#mark.write(scope);
  }

  /** The analysis ran to its end, or none was needed. */
  finish(): void {
    if (this.#look) this.#mark.write(this.#whole ? null : this.#left);
    else if (this.#everyKind) this.#mark.write(null);
  }
}
