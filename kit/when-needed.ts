// A module loaded at its first use, synchronously: Node's require() of an ES module, which gives the
// instance an import would. For code a process may never run whose callers cannot wait for an import
// (a constructor, a SQL function): the process does without loading it, and pays once when it is needed.

import { createRequire } from 'node:module';

/** `specifier` relative to `base` (the caller's import.meta.url), loaded at the first call. */
export function whenNeeded<M>(base: string, specifier: string): () => M {
  let loaded: M | undefined;
  return () => {
    loaded ??= createRequire(base)(specifier) as M;
    return loaded;
  };
}
