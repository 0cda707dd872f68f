// The duplicates view's methods: windows of recording groups, "prefer this copy", and the user's word on
// which tracks are one recording (split a copy out, join two tracks).

import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import {
  duplicateGroup,
  type DuplicateGroup as Group,
  missingChoices,
} from '../core/fingerprint/duplicates.ts';
import { recordingRelations } from '../core/fingerprint/recording-relations.ts';
import { joinCopies, splitCopy } from '../core/fingerprint/split-join.ts';
import { copyRules, parseRule, type RuleChange, ruleText, setCopyRules } from '../core/library/copy-rules.ts';
import { duplicateGroupIdsMatching } from '../core/library/duplicate-query.ts';
import { history } from '../core/library/edits.ts';
import { tagsFor } from '../core/library/list.ts';
import { preferCarrying } from '../core/library/prefer-copy.ts';
import { type DuplicateGroup, MULTI_SEPARATOR, type RuleChangeShown } from '../shared/rpc-contract.ts';
import type { Handlers } from './rpc-hub.ts';

/** Members with the title and artist the view shows (one tag query for the whole window). */
function withNames(db: Db, groups: readonly Group[]): DuplicateGroup[] {
  const ids = groups.flatMap((g) => g.members.map((m) => m.id));
  const tags = tagsFor(db, ids, ['title', 'artist']);
  return groups.map((g) => ({
    group: g.group,
    members: g.members.map((m) => {
      const t = tags.get(m.id);
      return {
        ...m,
        title: t?.title?.join(MULTI_SEPARATOR) ?? null,
        artist: t?.artist?.join(MULTI_SEPARATOR) ?? null,
      };
    }),
  }));
}

/** The changes with each copy's path, as the app shows them (one query for all). */
function withPaths(db: Db, changes: readonly RuleChange[]): RuleChangeShown[] {
  const ids = changes.flatMap((c) => [c.from, c.to]);
  const paths = new Map(
    db
      .prepare('SELECT f.id, f.path FROM json_each(?) j JOIN files f ON f.id = j.value')
      .raw()
      .all(JSON.stringify(ids)) as Array<[number, string]>,
  );
  const copy = (id: number) => ({ id, path: paths.get(id) ?? '' });
  return changes.map((c) => ({
    group: c.group,
    from: copy(c.from),
    to: copy(c.to),
    carries: [...c.carries],
    keepsNewer: [...c.keepsNewer],
  }));
}

export function duplicateHandlers(
  db: Db,
  changed: () => void,
): Pick<
  Handlers,
  'dup.groups' | 'dup.related' | 'dup.prefer' | 'dup.split' | 'dup.join' | 'dup.rules' | 'dup.setRules'
> {
  /** A split or join is an edit batch: the lists are told, and the reply is the batch as the history has it. */
  const decided = (batch: number) => {
    changed();
    return { batch: history(db, 1, batch)[0]! };
  };
  return {
    'dup.groups': async ({ filter, query, offset, limit }) => {
      // A query's mistake (an unknown field) answers with its span, which the query bar marks.
      const ids = await duplicateGroupIdsMatching(db, filter, query ?? '');
      const groups: Group[] = [];
      for (const id of ids.slice(offset, offset + limit)) {
        const group = await duplicateGroup(db, id);
        if (group) groups.push(group);
      }
      return { total: ids.length, groups: withNames(db, groups), missingChoices: missingChoices(db) };
    },
    'dup.related': ({ offset, limit }) => {
      const all = recordingRelations(db);
      const window = all.slice(offset, offset + limit);
      const titles = tagsFor(
        db,
        window.flatMap((r) => [r.longer.id, r.shorter.id]),
        ['title'],
      );
      const titled = <F extends { id: number }>(f: F) => ({
        ...f,
        title: titles.get(f.id)?.title?.join(MULTI_SEPARATOR) ?? null,
      });
      return {
        total: all.length,
        relations: window.map((r) => ({ ...r, longer: titled(r.longer), shorter: titled(r.shorter) })),
      };
    },
    'dup.prefer': async ({ id, prefer }) => {
      const { batch, keptNewer } = preferCarrying(db, id, 'app', prefer);
      const groupId = db.prepare('SELECT group_id FROM recording_members WHERE file_id = ?').pluck().get(id);
      const group = typeof groupId === 'number' ? await duplicateGroup(db, groupId) : undefined;
      if (!group) throw new UserError('not_found', `track ${id} is not in a duplicate group`);
      if (batch !== undefined) changed();
      return {
        ...withNames(db, [group])[0]!,
        batch: batch === undefined ? null : history(db, 1, batch)[0]!,
        keptNewer: keptNewer?.fields ?? [],
      };
    },
    'dup.split': ({ id }) => decided(splitCopy(db, id)),
    'dup.join': ({ ids: [a, b] }) => decided(joinCopies(db, a, b)),
    'dup.rules': () => ({ rules: copyRules(db).map(ruleText) }),
    'dup.setRules': ({ rules: texts, apply, shown }) => {
      const rules = texts.map(parseRule);
      if (apply && !shown)
        throw new UserError('bad_request', 'rules are set as they were shown: preview them first');
      const outcome = setCopyRules(db, rules, {
        apply,
        origin: 'app',
        ...(shown ? { shown: shown.map((c) => ({ ...c, from: c.from.id, to: c.to.id })) } : {}),
      });
      if (apply) changed();
      return {
        rules: rules.map(ruleText),
        changes: withPaths(db, outcome.changes),
        carried: outcome.batch === undefined ? null : history(db, 1, outcome.batch)[0]!,
      };
    },
  };
}
