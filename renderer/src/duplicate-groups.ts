// The Duplicates view's page of groups as the user changes it, before the backend answers: a copy chosen
// to keep is shown kept at once (a controlled radio would snap back until the answer comes), and a group
// the backend sends back replaces its old self.
import type { Result } from '../../app/shared/rpc-contract.ts';

export type GroupsPage = Result<'dup.groups'>;

/** The page with `fileId` the kept copy of the group that holds it. */
export function withKept(page: GroupsPage, fileId: number): GroupsPage {
  return {
    ...page,
    groups: page.groups.map((g) =>
      g.members.some((x) => x.id === fileId)
        ? { ...g, members: g.members.map((x) => ({ ...x, best: x.id === fileId })) }
        : g,
    ),
  };
}

/** The page with `group` in place of the group of the same number. */
export function withGroup(page: GroupsPage, group: GroupsPage['groups'][number]): GroupsPage {
  return { ...page, groups: page.groups.map((g) => (g.group === group.group ? group : g)) };
}
