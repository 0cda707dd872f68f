// A full collection for a process that has just finished a burst of work, where --expose-gc allows it
// (`sleeve scan`, `serve`, `watch`, `index serve`: app/cli/process-settings.ts); elsewhere nothing.
// The "last-resort" flavour is V8's low-memory collection: it also hands back the pages V8 keeps pooled
// for later allocations, which a plain gc() leaves resident (measured in `sleeve index serve` after 200k
// documents: a plain collection freed nothing of 258 MiB resident, this one 46 MiB).
type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export function collectGarbage(): void {
  (globalThis as { gc?: Gc }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
