// Which of a query's free-text words the trigram index holds for many files: asked of the index itself,
// counting its matches up to BROAD_FILES and no further (a word in every file costs what a rare one does).
// The query is then planned by it (query-sql.ts: wordPlans): a rare word drives, a broad one is checked per
// file. SQLite keeps no statistics on an FTS5 table that would tell them apart.
import type { Query } from '../../shared/query.ts';
import type { Db } from '../db/database.ts';
import { ftsTrigrams, isTrigramWord } from './query-sql.ts';

/** Matches from which a word counts as broad: up to this many files are looked up and sorted (~10 ms at
 *  1M tracks); past it, checking each file the walk meets is cheaper than collecting them. */
export const BROAD_FILES = 5000;

/** Each connection's answers, for the library as it was (a window and its count ask of the same words,
 *  a key apart); let go when the library changes or they reach WORDS_KEPT. */
const answers = new WeakMap<Db, { version: number; broad: Map<string, boolean> }>();
const WORDS_KEPT = 1000;

/** The query's trigram words that `atLeast` files or more hold. */
export function broadWords(db: Db, query: Query, atLeast = BROAD_FILES): Set<string> {
  const version = db.prepare('SELECT coalesce(max(change_seq), 0) FROM files').pluck().get() as number;
  let known = answers.get(db);
  if (known?.version !== version || known.broad.size >= WORDS_KEPT) {
    known = { version, broad: new Map() };
    answers.set(db, known);
  }
  const probe = db.prepare('SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)');
  const broad = new Set<string>();
  for (const group of query.groups)
    for (const term of group) {
      if (!isTrigramWord(term)) continue;
      const word = (term.op as { value: string }).value;
      const key = `${atLeast}\u0000${word}`;
      let isBroad = known.broad.get(key);
      if (isBroad === undefined) {
        // The files holding each of its trigrams: a word's breadth, or more (a plan, not an answer).
        isBroad = (probe.pluck().get(ftsTrigrams(word), atLeast) as number) >= atLeast;
        known.broad.set(key, isBroad);
      }
      if (isBroad) broad.add(word);
    }
  return broad;
}
