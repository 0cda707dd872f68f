// The Duplicates view's page as the user changes it: a copy chosen is shown kept at once in its group
// alone, and the backend's answer replaces only its own group.
import { describe, expect, it } from 'vitest';
import type { GroupsPage } from '../../../renderer/src/duplicate-groups.ts';
import { withGroup, withKept } from '../../../renderer/src/duplicate-groups.ts';

const member = (id: number, best: boolean) =>
  ({ id, best }) as unknown as GroupsPage['groups'][number]['members'][number];
const group = (n: number, ...members: Array<[number, boolean]>) =>
  ({
    group: n,
    members: members.map(([id, best]) => member(id, best)),
  }) as unknown as GroupsPage['groups'][number];
const page = (...groups: GroupsPage['groups']) => ({ total: groups.length, groups }) as unknown as GroupsPage;
const kept = (p: GroupsPage) => p.groups.map((g) => g.members.filter((m) => m.best).map((m) => m.id));

describe("the Duplicates view's page", () => {
  const before = page(group(1, [10, true], [11, false]), group(2, [20, true], [21, false]));

  it('shows the copy chosen as kept in its group, and leaves the others', () => {
    expect(kept(withKept(before, 11))).toEqual([[11], [20]]);
    expect(kept(withKept(before, 99))).toEqual([[10], [20]]);
    expect(kept(before)).toEqual([[10], [20]]); // the page given is not changed
  });

  it("puts the backend's group in place of its own", () => {
    const answer = group(2, [20, false], [21, true]);
    expect(kept(withGroup(before, answer))).toEqual([[10], [21]]);
    expect(withGroup(before, answer).groups[0]).toBe(before.groups[0]);
  });
});
