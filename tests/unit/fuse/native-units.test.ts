// The C binding's units call down, never back: the units each includes (its own header aside) form no
// circle, and the served tree (snapshot.c) calls none of them, so any unit can read the tree and the
// tree's operations (tree_ops.c) sit above what they use.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const NATIVE = new URL('../../../fuse/native/', import.meta.url);

/** Each unit (a .c file's name) → the units whose headers it includes, its own header aside. */
function includes(): Map<string, string[]> {
  const units = new Map<string, string[]>();
  for (const file of readdirSync(NATIVE).filter((f) => f.endsWith('.c'))) {
    const unit = file.slice(0, -2);
    const text = readFileSync(new URL(file, NATIVE), 'utf8');
    const used = [...text.matchAll(/^#include "([a-z_]+)\.h"/gm)].map((m) => m[1]!);
    units.set(
      unit,
      used.filter((u) => u !== unit),
    );
  }
  return units;
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

  it('the served tree calls no other unit but the shared state', () => {
    expect(includes().get('snapshot')).toEqual(['state']);
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
