// The Duplicates view's page as the user changes it: a copy chosen is shown kept at once in its group
// alone, and the backend's answer replaces only its own group; and when keeping a copy is asked again.
import { describe, expect, it } from 'vitest';
import type { GroupsPage } from '../../../renderer/src/duplicate-groups.ts';
import { keepDoubt, withGroup, withKept } from '../../../renderer/src/duplicate-groups.ts';

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

describe('keeping a copy, asked again', () => {
  type Member = GroupsPage['groups'][number]['members'][number];
  const copy = (id: number, over: Partial<Member>) =>
    ({
      id,
      path: `/m/${id}.ogg`,
      format: 'ogg-vorbis',
      codec: 'Vorbis I',
      lossless: false,
      bitrate: 160_000,
      duration: 217,
      partialOffset: null,
      transcodedFrom: null,
      ...over,
    }) as unknown as Member;
  const whole = copy(1, {});
  const preview = copy(2, { bitrate: 112_000, duration: 30, partialOffset: 0 });
  const mp3 = copy(3, { format: 'mp3', codec: 'MPEG 1 Layer 3', bitrate: 192_000, transcodedFrom: 1 });
  const recording = { group: 1, members: [whole, preview, mp3] } as unknown as GroupsPage['groups'][number];

  it('for a part of the recording, and for a copy made from another', () => {
    expect(keepDoubt(preview, recording)).toBe(
      "The 112 kbps Vorbis copy holds 0:30 of the recording's 3:37 (from 0:00): players would get only that part.",
    );
    expect(keepDoubt(mp3, recording)).toBe(
      'The 192 kbps MP3 copy is transcoded from the 160 kbps Vorbis copy (1.ogg): it holds nothing more than that one; keep it only if you want its format.',
    );
    expect(keepDoubt(whole, recording)).toBeUndefined();
  });
});
