import { describe, expect, it } from 'vitest';
import {
  EVENTS,
  isMethodName,
  MAX_IDS,
  METHODS,
  RequestSchema,
  ServerMessageSchema,
  TargetSchema,
} from '../../app/shared/rpc-contract.ts';

const reasons = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('RPC contract', () => {
  it('accepts well-formed parameters and fills nothing in silently', () => {
    const page = METHODS['library.page'].params.parse({
      query: 'artist:x',
      sort: { field: 'title', descending: true },
      offset: 0,
      limit: 100,
    });
    expect(page).toEqual({
      query: 'artist:x',
      sort: { field: 'title', descending: true },
      offset: 0,
      limit: 100,
    });
    expect(METHODS['history.undo'].params.parse({})).toEqual({});
  });

  it('rejects windows that are negative, too large or fractional, and unknown keys', () => {
    const p = METHODS['library.page'].params;
    expect(reasons(p.safeParse({ query: '', sort: null, offset: -1, limit: 10 }))).toEqual(['offset']);
    expect(reasons(p.safeParse({ query: '', sort: null, offset: 0, limit: 501 }))).toEqual(['limit']);
    expect(reasons(p.safeParse({ query: '', sort: null, offset: 1.5, limit: 10 }))).toEqual(['offset']);
    expect(reasons(p.safeParse({ query: '', sort: null, offset: 0, limit: 10, extra: 1 }))).toEqual(['']);
    expect(reasons(p.safeParse({ query: '', offset: 0, limit: 10 }))).toEqual(['sort']);
    expect(
      reasons(p.safeParse({ query: '', sort: { field: 'a b', descending: false }, offset: 0, limit: 1 })),
    ).toEqual(['sort.field']);
  });

  it('bounds selections: listed ids or a query minus exceptions, never unbounded', () => {
    expect(TargetSchema.safeParse({ kind: 'ids', ids: [1, 2] }).success).toBe(true);
    expect(TargetSchema.safeParse({ kind: 'query', query: 'x', except: [] }).success).toBe(true);
    expect(TargetSchema.safeParse({ kind: 'ids', ids: [] }).success).toBe(false);
    expect(TargetSchema.safeParse({ kind: 'ids', ids: [0] }).success).toBe(false);
    expect(
      TargetSchema.safeParse({ kind: 'ids', ids: Array.from({ length: MAX_IDS + 1 }, (_, i) => i + 1) })
        .success,
    ).toBe(false);
    expect(TargetSchema.safeParse({ kind: 'everything' }).success).toBe(false);
  });

  it('limits edits to field changes of strings, each naming the summary it was loaded from', () => {
    const edit = METHODS['tags.edit'].params;
    const preview = 'a-preview';
    const loadedFrom = preview;
    expect(
      edit.safeParse({ preview, changes: [{ key: 'album', values: ['A', 'B'], loadedFrom }] }).success,
    ).toBe(true);
    expect(reasons(edit.safeParse({ preview, changes: [] }))).toEqual(['changes']);
    expect(
      reasons(edit.safeParse({ preview, changes: [{ key: 'album', values: [1], loadedFrom }] })),
    ).toEqual(['changes.0.values.0']);
    expect(reasons(edit.safeParse({ preview, changes: [{ key: '', values: [], loadedFrom }] }))).toEqual([
      'changes.0.key',
    ]);
    // A field saved with no word of what the editor showed of it is refused: it could overwrite a newer edit.
    expect(reasons(edit.safeParse({ preview, changes: [{ key: 'album', values: ['A'] }] }))).toEqual([
      'changes.0.loadedFrom',
    ]);
    // What is saved is a preview the backend showed, never a selection planned again.
    expect(reasons(edit.safeParse({ changes: [{ key: 'album', values: ['A'], loadedFrom }] }))).toEqual([
      'preview',
    ]);
    // Copies are named one by one, never "all of them".
    expect(
      reasons(
        edit.safeParse({ preview, changes: [{ key: 'album', values: ['A'], loadedFrom }], copies: true }),
      ),
    ).toEqual(['copies']);
  });

  it('checks the envelope and the results and events the client receives', () => {
    expect(RequestSchema.safeParse({ id: 1, method: 'library.stats', params: {} }).success).toBe(true);
    expect(RequestSchema.safeParse({ id: -1, method: 'x', params: {} }).success).toBe(false);
    expect(
      ServerMessageSchema.safeParse({ id: 1, ok: false, error: { code: 'teapot', message: 'x' } }).success,
    ).toBe(false);
    expect(ServerMessageSchema.safeParse({ event: 'library.changed', data: { version: 3 } }).success).toBe(
      true,
    );
    const progress = { phase: 'read', found: 1, total: 2, done: 1, filesPerSecond: 3, etaSeconds: null };
    expect(EVENTS['scan.progress'].safeParse(progress).success).toBe(true);
    expect(EVENTS['scan.progress'].safeParse({ ...progress, phase: 'dance' }).success).toBe(false);
    expect(METHODS['library.page'].result.safeParse({ total: 1, offset: 0, rows: [{ id: 1 }] }).success).toBe(
      false,
    );
    expect(isMethodName('library.page')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
  });
});
