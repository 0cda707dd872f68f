// YAML read as PyYAML reads it (app/shared/pyyaml.ts): Python's booleans, and a mapping's keys in the order
// Python's dict gives them, merged keys included. Each expectation is what PyYAML 6 on Debian gave.
import { describe, expect, it } from 'vitest';
import { readPyYaml } from '../../app/shared/pyyaml.ts';

describe('YAML as PyYAML reads it', () => {
  it("takes yes, on and off as booleans and y and n as text, as PyYAML's resolver does", () => {
    expect(readPyYaml('a: yes\nb: off\nc: y\nd: n\n').value).toEqual({ a: true, b: false, c: 'y', d: 'n' });
  });

  it("keeps a mapping's keys in the file's order, keys such as '1' too", () => {
    // yaml.safe_load(...)['replace'].items(): [('a', 'x'), ('1', 'y'), (2, 'z')]
    expect(readPyYaml("replace:\n  'a': x\n  '1': y\n  2: z\n").keysOf('replace')).toEqual(['a', '1', '2']);
  });

  it("puts merged keys before the mapping's own, of a list of merges the last first", () => {
    const merged = "base: &b\n  'z': x\n  '1': y\nreplace:\n  <<: *b\n  'a': q\n  '0': w\n";
    expect(readPyYaml(merged).keysOf('replace')).toEqual(['z', '1', 'a', '0']);
    const list =
      "a: &a {'q': 1, '3': 2}\nb: &b {'r': 1, '2': 2, 'q': 5}\nreplace:\n  'x': 1\n  <<: [*a, *b]\n  '0': w\n";
    // [('r', 1), ('2', 2), ('q', 1), ('3', 2), ('x', 1), ('0', 'w')]
    const read = readPyYaml(list);
    expect(read.keysOf('replace')).toEqual(['r', '2', 'q', '3', 'x', '0']);
    expect((read.value as { replace: Record<string, unknown> }).replace.q).toBe(1);
    expect(readPyYaml("base: &b\n  'z': x\nreplace: *b\n").keysOf('replace')).toEqual(['z']);
  });

  it('has no keys for what is not a mapping, and refuses what is not YAML or an alias bomb', () => {
    expect(readPyYaml('replace: 5\n').keysOf('replace')).toBeUndefined();
    expect(readPyYaml('a: 1\n').keysOf('replace')).toBeUndefined();
    expect(() => readPyYaml('a: [1')).toThrow();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, from] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ])
      bomb.push(`${name}: &${name} [${Array(12).fill(`*${from}`).join(', ')}]`);
    expect(() => readPyYaml(bomb.join('\n'))).toThrow(/alias/i);
  });
});
