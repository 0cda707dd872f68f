import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../app/server/media.ts';
import { resolveUnder } from '../../../app/server/static-files.ts';

describe('HTTP Range', () => {
  it('reads one byte range, open-ended and suffix ranges, clamped to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });

  it('says unsatisfiable past the end, and ignores what it does not support', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-10', 0)).toBe('unsatisfiable');
    expect(parseRange(undefined, 1000)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeUndefined();
    expect(parseRange('items=0-1', 1000)).toBeUndefined();
    expect(parseRange('bytes=-', 1000)).toBeUndefined();
  });
});

describe('static paths', () => {
  it('stays inside the root', () => {
    expect(resolveUnder('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
    expect(resolveUnder('/srv/app', '/../etc/passwd')).toBeUndefined();
    expect(resolveUnder('/srv/app', '/..%2fapp-other/x')).toBeUndefined();
    expect(resolveUnder('/srv/app', '/%E0%A4%A')).toBeUndefined();
    expect(resolveUnder('/srv/app', '/a%00.js')).toBeUndefined();
  });
});
