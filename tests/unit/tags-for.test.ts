// The effective tags of many files read at once (list.ts tagsFor): each file's own fields, a field's values
// in their order, only the fields asked for, a file with none, and a file's field named like a property of
// every object ("__proto__", "constructor") held as its own field, never reaching Object.prototype.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { tagsFor } from '../../app/core/library/list.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function library() {
  const made = taggedLibrary([
    { path: '/music/one.flac', tags: { title: ['One'], artist: ['Ann', 'Bo', 'Cy'], genre: ['Jazz'] } },
    // A computed key: a literal `__proto__:` would set the object's prototype.
    { path: '/music/two.flac', tags: { title: ['Two'], ['__proto__']: ['evil', 'worse'] } },
    { path: '/music/three.flac', tags: { title: ['Three'], constructor: ['not a function'] } },
    { path: '/music/none.flac', tags: {} },
  ]);
  open.push(made.db);
  // The ids in path order: none, one, three, two.
  const [none, one, three, two] = made.ids as [number, number, number, number];
  return { db: made.db, ids: made.ids, none, one, two, three };
}

it('reads every field of each file, several values in their order', () => {
  const { db, ids, one, none } = library();
  const tags = tagsFor(db, [...ids, 999]);
  expect([...tags.keys()]).toEqual([...ids, 999]);
  expect(tags.get(one)).toEqual({ title: ['One'], artist: ['Ann', 'Bo', 'Cy'], genre: ['Jazz'] });
  expect(tags.get(none)).toEqual({});
  expect(tags.get(999)).toEqual({});
  expect(tagsFor(db, [])).toEqual(new Map());
});

it('reads only the fields asked for', () => {
  const { db, ids, one, two } = library();
  const tags = tagsFor(db, ids, ['artist', 'genre']);
  expect(tags.get(one)).toEqual({ artist: ['Ann', 'Bo', 'Cy'], genre: ['Jazz'] });
  expect(tags.get(two)).toEqual({});
});

it("holds a field named like an object's own property as the file's field", () => {
  const { db, ids, two, three } = library();
  const tags = tagsFor(db, ids);
  const held = tags.get(two)!;
  expect(Object.hasOwn(held, '__proto__')).toBe(true);
  expect(Object.getOwnPropertyDescriptor(held, '__proto__')?.value).toEqual(['evil', 'worse']);
  expect(Object.getPrototypeOf(held)).toBe(Object.prototype);
  expect(tags.get(three)!.constructor).toEqual(['not a function']);
  expect(({} as Record<string, unknown>)[0]).toBeUndefined();
});
