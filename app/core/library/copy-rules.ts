// The user's rules for which copy of a recording is kept, like beets' duplicate keys: in order, a folder's
// copies first ("folder:/music/lossless"), a format's ("format:flac"), or the copy the library had first
// ("first": keep the originals). They rank after the whole-recording and edited-copy tiers and before
// anything measured (copy-rank.ts). A change of rules is shown before it is made: which recordings would
// keep another copy, and which of them carry edits on the copy kept now — those edits go with the switch,
// as one undoable batch, so a recording keeps what the user gave it — or keep the newer edits of the copy
// they would keep, which are said too.
import { isAbsolute, normalize } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import { FORMAT_NAMES_BY_WORD } from '../../shared/format-names.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { copyPlaces } from '../fingerprint/duplicates.ts';
import { applyEdit, type EditOrigin, type PlannedArt, type PlannedChange } from './edits.ts';
import { EditCarrier } from './prefer-copy.ts';

export interface CopyRule {
  readonly kind: 'folder' | 'format' | 'first';
  readonly value: string;
}

/** A rule as the user writes it: folder:PATH, format:NAME (flac, mp3, vorbis, opus, aac…), first. */
export function parseRule(text: string): CopyRule {
  const t = text.trim();
  if (t === 'first') return { kind: 'first', value: '' };
  const [kind, ...rest] = t.split(':');
  const value = rest.join(':').trim();
  if (kind === 'folder') {
    if (!isAbsolute(value))
      throw new UserError('bad_request', `folder:${value}: a folder is an absolute path`);
    return { kind, value: normalize(value).replace(/\/+$/, '') || '/' };
  }
  if (kind === 'format') {
    const format = FORMAT_NAMES_BY_WORD.get(value.toLowerCase());
    if (!format)
      throw new UserError(
        'bad_request',
        `format:${value}: not a format Sleeve reads (${[...FORMAT_NAMES_BY_WORD.keys()].join(', ')})`,
      );
    return { kind, value: format };
  }
  throw new UserError('bad_request', `"${t}" is no copy rule: folder:PATH, format:NAME or first`);
}

export const ruleText = (r: CopyRule): string => (r.kind === 'first' ? 'first' : `${r.kind}:${r.value}`);

export function copyRules(db: Db): CopyRule[] {
  return db.prepare('SELECT kind, value FROM copy_rules ORDER BY place').all() as CopyRule[];
}

/** A recording whose kept copy the rules move. */
export interface RuleChange {
  readonly group: number;
  readonly from: number;
  readonly to: number;
  /** The fields of the copy kept now that the switch carries to the new one (empty: none edited). */
  readonly carries: readonly string[];
  /** The fields the new copy was edited in since the copy kept now was: its newer values stay, the older
   *  ones are not carried (prefer-copy.ts: EditCarrier). */
  readonly keepsNewer: readonly string[];
}

export interface RulesOutcome {
  readonly changes: readonly RuleChange[];
  /** The batch that carried edits, when the rules were set and some were. */
  readonly batch?: number;
}

/** Kept copy by recording, for every recording held more than once. */
function keptCopies(db: Db): Map<number, number> {
  return new Map(copyPlaces(db).flatMap(([id, group, place]) => (place === 1 ? [[group, id] as const] : [])));
}

/**
 * The rules `rules` would put in place of the current ones: what they change (`apply` false: nothing is
 * written), or, applied, the rules set and the edits of every copy kept until now carried to its
 * recording's new kept copy in one batch.
 */
export function setCopyRules(
  db: Db,
  rules: readonly CopyRule[],
  options: {
    readonly apply: boolean;
    readonly origin: EditOrigin;
    /** What the user was shown (a preview's changes): applied only if the rules still do exactly that. */
    readonly shown?: readonly RuleChange[];
  },
): RulesOutcome {
  return writeTransaction(db, () => {
    const before = keptCopies(db);
    db.exec('SAVEPOINT copy_rules_set');
    let kept = false;
    try {
      db.prepare('DELETE FROM copy_rules').run();
      const add = db.prepare('INSERT INTO copy_rules (place, kind, value) VALUES (?, ?, ?)');
      for (const [i, r] of rules.entries()) add.run(i + 1, r.kind, r.value);
      const after = keptCopies(db);
      const plan: PlannedChange[] = [];
      const art: PlannedArt[] = [];
      const changes: RuleChange[] = [];
      const carrier = new EditCarrier(db);
      for (const [group, from] of before) {
        const to = after.get(group);
        if (to === undefined || to === from) continue;
        const carried = carrier.between(from, to);
        plan.push(...carried.plan);
        art.push(...carried.art);
        changes.push({ group, from, to, carries: carried.fields, keepsNewer: carried.newer });
      }
      if (!options.apply) return { changes };
      if (options.shown && JSON.stringify(options.shown) !== JSON.stringify(changes))
        throw new UserError(
          'conflict',
          'the copies these rules keep changed since they were shown (a scan, an edit): nothing was changed; look again',
        );
      kept = true;
      if (plan.length === 0 && art.length === 0) return { changes };
      const carrying = changes.filter((c) => c.carries.length > 0).length;
      const description = `Carried your edits to the copies the copy rules keep now (${carrying} recording${carrying === 1 ? '' : 's'})`;
      const batch = applyEdit(db, plan, { description, origin: options.origin }, art);
      return batch === undefined ? { changes } : { changes, batch };
    } finally {
      if (kept) db.exec('RELEASE copy_rules_set');
      else db.exec('ROLLBACK TO copy_rules_set; RELEASE copy_rules_set');
    }
  });
}
