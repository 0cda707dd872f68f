// A read transaction marked as one. What a connection works out from the library inside it is of committed
// state, and may be kept past it (copy-places.ts holds the copies' rankings by copies_state.seq). Read
// inside a write transaction, the same state may yet be rolled back, and its seq be reached again by
// other changes: kept, it would stand for them.
import type { Db } from './database.ts';

const reading = new WeakSet<Db>();

/** Runs `fn` in a read transaction of its own, or inside the connection's current transaction. */
export function readTransaction<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return db.transaction(fn)();
  reading.add(db);
  try {
    return db.transaction(fn)();
  } finally {
    reading.delete(db);
  }
}

/** Whether what the connection reads now is committed: outside a transaction, or in a read transaction. */
export const readsCommitted = (db: Db): boolean => !db.inTransaction || reading.has(db);
