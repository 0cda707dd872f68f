// The C binding's units call down, never back: the units each includes, in its .c file or its header (its
// own header aside), form no circle, and the served tree (snapshot.c) calls none of them but its memory's
// (node_pages.c), so any unit can read the tree and the tree's operations (tree_ops.c) sit above what
// they use.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const NATIVE = new URL('../../../fuse/native/', import.meta.url);

/** Each unit (a .c file and its header, by name) → the units whose headers either includes, its own
 *  aside: a header's include is its unit's too (state.h including art.h made a circle no .c showed). */
function includes(): Map<string, string[]> {
  const units = new Map<string, Set<string>>();
  for (const file of readdirSync(NATIVE).filter((f) => f.endsWith('.c') || f.endsWith('.h'))) {
    const unit = file.slice(0, -2);
    const text = readFileSync(new URL(file, NATIVE), 'utf8');
    const used = units.get(unit) ?? new Set<string>();
    for (const m of text.matchAll(/^#include "([a-z_]+)\.h"/gm)) if (m[1] !== unit) used.add(m[1]!);
    units.set(unit, used);
  }
  return new Map([...units].map(([unit, used]) => [unit, [...used]]));
}

/** A circle of units, if there is one (depth-first, the units on the current path). */
function circle(units: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (unit: string): string[] | undefined => {
    const at = path.indexOf(unit);
    if (at >= 0) return [...path.slice(at), unit];
    if (done.has(unit)) return undefined;
    path.push(unit);
    for (const next of units.get(unit) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    done.add(unit);
    return undefined;
  };
  for (const unit of units.keys()) {
    const found = visit(unit);
    if (found) return found;
  }
  return undefined;
}

describe("the C binding's units", () => {
  it('include one another in no circle', () => {
    expect(circle(includes())).toBeUndefined();
  });

  it('the served tree calls no other unit but the shared state and its memory, which calls none', () => {
    expect(includes().get('snapshot')).toEqual(['state', 'node_pages']);
    expect(includes().get('node_pages')).toEqual(['state']);
  });

  it('a circle would be found', () => {
    const units = new Map([
      ['echo', ['snapshot']],
      ['snapshot', ['invalidate']],
      ['invalidate', ['echo']],
    ]);
    expect(circle(units)).toEqual(['echo', 'snapshot', 'invalidate', 'echo']);
  });
});
