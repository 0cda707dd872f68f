// A track's fields as a TaggerScript sees and changes them (Picard's Metadata): each a list of values,
// read joined by "; "; and what a function is given to evaluate its arguments with, and the time.
import type { ScriptExpression } from './parser.ts';
import type { PyDateTime } from './python.ts';

export const MULTI_JOINER = '; ';

/** A track's fields as a script sees and changes them: each a list of values. */
export class ScriptContext {
  readonly #values = new Map<string, string[]>();
  /** Fields deleted ($delete): removed from the track, not only unset. */
  readonly deleted = new Set<string>();

  constructor(values: Iterable<readonly [string, readonly string[]]> = []) {
    for (const [k, v] of values) this.set(k, v);
  }

  getall(name: string): string[] {
    return this.#values.get(normalize(name)) ?? [];
  }

  get(name: string): string {
    return this.getall(name).join(MULTI_JOINER);
  }

  /** Sets a field; a single empty value unsets it (Picard's Metadata). */
  set(name: string, values: string | readonly string[]): void {
    const key = normalize(name);
    const list = typeof values === 'string' ? [values] : [...values];
    if (list.length > 1 || (list.length === 1 && list[0] !== '')) {
      this.#values.set(key, list);
      this.deleted.delete(key);
    } else this.#values.delete(key);
  }

  unset(name: string): void {
    this.#values.delete(normalize(name));
  }

  delete(name: string): void {
    this.unset(name);
    this.deleted.add(normalize(name));
  }

  keys(): string[] {
    return [...this.#values.keys()];
  }

  entries(): Array<[string, string[]]> {
    return [...this.#values.entries()];
  }
}

/** Metadata's name of a field: a trailing ":" dropped. */
const normalize = (name: string) => name.replace(/:+$/, '');
/** A script's name of a field: `_name` is the hidden `~name`. */
export const tagName = (name: string): string => (name.startsWith('_') ? `~${name.slice(1)}` : name);

/** What runs a script: its context, and the evaluation of an expression (for the functions that
 *  evaluate their own arguments). */
export interface Evaluator {
  readonly context: ScriptContext;
  expression(nodes: ScriptExpression): string;
  /** The time now, for $datetime. */
  now(): PyDateTime;
}
