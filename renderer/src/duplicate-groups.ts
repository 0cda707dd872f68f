// The Duplicates view's page of groups as the user changes it, before the backend answers: a copy chosen
// to keep is shown kept at once (a controlled radio would snap back until the answer comes), and a group
// the backend sends back replaces its old self; and the words the view names a copy with, and asks before
// keeping one with.
import { formatName } from '../../app/shared/format-names.ts';
import type { DuplicateGroup, Result } from '../../app/shared/rpc-contract.ts';
import { fileName, formatDuration } from './format.ts';

type Member = DuplicateGroup['members'][number];

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

/** A copy by its sound: "lossless FLAC", "160 kbps Vorbis". */
export const copyName = (m: Member) =>
  `${m.lossless ? 'lossless' : m.bitrate ? `${Math.round(m.bitrate / 1000)} kbps` : ''} ${m.format === null ? 'file' : formatName(m.format, m.codec)}`.trim();

/** Why keeping `m` may not be what the user wants: made from another copy of the group (it holds nothing
 *  more than that one), or a part of the recording (players would get only that part). */
export function keepDoubt(m: Member, group: DuplicateGroup): string | undefined {
  const source = m.transcodedFrom === null ? undefined : group.members.find((x) => x.id === m.transcodedFrom);
  if (source)
    return `The ${copyName(m)} copy is transcoded from the ${copyName(source)} copy (${fileName(source.path)}): it holds nothing more than that one; keep it only if you want its format.`;
  const whole = group.members.reduce<Member | undefined>(
    (longest, x) => ((x.duration ?? 0) > (longest?.duration ?? 0) ? x : longest),
    undefined,
  );
  if (m.partialOffset === null || m.duration === null || !whole?.duration) return undefined;
  return `The ${copyName(m)} copy holds ${formatDuration(m.duration)} of the recording's ${formatDuration(whole.duration)} (from ${formatDuration(m.partialOffset)}): players would get only that part.`;
}
