// A tagger's everyday tools over a set of tracks, each planned as changes (a diff to show) before anything
// is saved, and saved as one undoable edit batch: find & replace (plain or a regular expression with
// groups, run on RE2's engine so no pattern can stall the library), case conversion, tags from file names,
// numbering by order, copying or swapping fields, trimming whitespace, splitting and joining values. A
// track a tool cannot serve (a name the pattern does not fit, a value a field refuses) is reported with the
// reason and left as it is.
import { RE2JS } from 're2js';
import { UserError } from '../../../../kit/user-error.ts';
import { isNumericField, validateFieldValue } from '../../../shared/fields.ts';
import type { TagToolParams } from '../../../shared/rpc/tools.ts';
import { storedNumbers } from '../../../shared/track-numbers.ts';
import type { Db } from '../../db/database.ts';
import { EditError, type PlannedChange, validateChanges } from '../edits.ts';
import { fieldChanges } from '../field-diff.ts';
import { libraryRoots } from '../library-folders.ts';
import { type FileItem, filesByIds } from '../list.ts';
import { numberTracks } from './numbering.ts';
import { compilePathPattern, valuesFromPath } from './path-pattern.ts';
import { scriptStep } from './script-step.ts';
import { convertCase } from './text-case.ts';
import type { ToolTracks } from './tool-tracks.ts';

/** A tool as the RPC contract declares it (app/shared/rpc/tools.ts): the one declaration of its shape. */
export type TagTool = TagToolParams;

/** A track a step could not serve, and why (each such step's reason, "; " between). */
export interface StepRefusal {
  readonly fileId: number;
  readonly reason: string;
}

export interface ToolPlan {
  /** What would change, file by file in the order given. */
  readonly changes: PlannedChange[];
  /** Tracks left as they are, and why. */
  readonly skipped: StepRefusal[];
  /** Tracks that change, but that a step of several could not serve (the others still changed them). */
  readonly partly: StepRefusal[];
}

/** Fields a text tool leaves alone unless named: ids, gains and codes (a country, a language, a key, an
 *  encoder's settings), and the long free texts (lyrics, comments) whose case and spacing are the
 *  author's. */
const NOT_TEXT =
  /^(musicbrainz_|acoustid_|replaygain_|itun)|^(isrc|barcode|catalognumber|fingerprint|releasecountry|releasestatus|releasetype|language|script|media|key|initialkey|encodersettings|encodedby|encoder|lyrics|unsyncedlyrics|comment|description)$/;

/** The field names as the library spells them (an unknown one is an error listing the known ones). */
function fieldNames(db: Db, names: readonly string[]): string[] {
  return validateChanges(
    db,
    names.map((key) => ({ key, values: [] })),
  ).map((c) => c.key);
}

/** A value rewriter for each text value of the chosen fields. */
function textTool(tool: Extract<TagTool, { kind: 'replace' | 'case' | 'trim' }>): (value: string) => string {
  switch (tool.kind) {
    case 'case':
      return (v) => convertCase(v, tool.mode);
    case 'trim':
      // Spaces and tabs only: a value's own line breaks are kept.
      return (v) =>
        v
          .split('\n')
          .map((line) => line.trim().replace(/\s+/gu, ' '))
          .join('\n')
          .trim();
    case 'replace': {
      if (tool.find === '') throw new EditError('find & replace needs something to find');
      if (!tool.regex) {
        const pattern = RE2JS.compile(RE2JS.quote(tool.find), tool.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
        const replacement = RE2JS.quoteReplacement(tool.replace);
        return (v) => pattern.matcher(v).replaceAll(replacement);
      }
      let pattern: RE2JS;
      try {
        pattern = RE2JS.compile(tool.find, tool.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
      } catch (err) {
        throw new EditError(`the regular expression "${tool.find}" is not valid: ${(err as Error).message}`);
      }
      const groups = pattern.groupCount();
      // $1…$9 name groups ($0 the whole match); $$ is a dollar sign.
      const wanted = [...tool.replace.replaceAll('$$', '').matchAll(/\$(\d)/g)].map((m) => Number(m[1]));
      const missing = wanted.find((g) => g > groups);
      if (missing !== undefined)
        throw new EditError(`the replacement names group $${missing}; the expression has ${groups}`);
      return (v) => pattern.matcher(v).replaceAll(tool.replace);
    }
  }
}

/** What the tool makes of one track (its tags, its file): the fields it sets (absent: left alone), or why
 *  it cannot. */
type Step = (file: FileItem, index: number) => Record<string, string[]> | string;

/** The tracks as planTool reads them: their order and recordings, and each one's disc number tag. */
interface Tracks extends Pick<ToolTracks, 'recordings'> {
  readonly discs: () => ReadonlyArray<string | undefined>;
}

function stepOf(db: Db, tool: TagTool, tracks: Tracks): Step {
  switch (tool.kind) {
    case 'replace':
    case 'case':
    case 'trim': {
      const rewrite = textTool(tool);
      const named = tool.fields && tool.fields.length > 0 ? fieldNames(db, tool.fields) : undefined;
      return ({ tags }) => {
        const keys = named ?? Object.keys(tags).filter((k) => !NOT_TEXT.test(k.toLowerCase()));
        // A value rewritten to nothing is gone (all of them: the field is cleared), not kept as "".
        return Object.fromEntries(keys.map((k) => [k, (tags[k] ?? []).map(rewrite).filter((v) => v !== '')]));
      };
    }
    case 'from-path': {
      const pattern = compilePathPattern(tool.pattern);
      const fields = pattern.fields.filter((f) => f !== '_');
      const canonical = fieldNames(db, fields);
      const names = new Map(fields.map((f, i) => [f, canonical[i]!]));
      // Longest first: a file belongs to the deepest library folder it is in.
      const roots = libraryRoots(db).sort((a, b) => b.length - a.length);
      return ({ path }) => {
        const root = roots.find((r) => path.startsWith(`${r}/`));
        const found = valuesFromPath(pattern, root ? path.slice(root.length + 1) : path);
        if (!found) return `the name does not fit the pattern ${tool.pattern}`;
        return Object.fromEntries(
          Object.entries(found).map(([f, v]) => {
            const key = names.get(f)!;
            // "07" in a file name is track 7.
            return [key, [isNumericField(key) && /^\d+$/.test(v) ? String(Number(v)) : v]];
          }),
        );
      };
    }
    case 'number': {
      // Numbers count recordings: each recording's disc is its first track's, and its copies share its number.
      const discs = tracks.discs();
      const recordingDiscs: Array<string | undefined> = [];
      tracks.recordings.forEach((r, i) => {
        if (r === recordingDiscs.length) recordingDiscs.push(discs[i]);
      });
      const numbers = numberTracks(recordingDiscs, tool);
      return (_, i) => {
        const n = numbers[tracks.recordings[i]!]!;
        return { tracknumber: [n.tracknumber], ...(n.totaltracks ? { totaltracks: [n.totaltracks] } : {}) };
      };
    }
    case 'copy': {
      const [from, to] = fieldNames(db, [tool.from, tool.to]);
      return ({ tags }) => ({ [to!]: tags[from!] ?? [] });
    }
    case 'swap': {
      const [a, b] = fieldNames(db, [tool.a, tool.b]);
      return ({ tags }) => ({ [a!]: tags[b!] ?? [], [b!]: tags[a!] ?? [] });
    }
    case 'script':
      return scriptStep(tool.script);
    case 'split':
    case 'join': {
      if (tool.separator === '') throw new EditError(`${tool.kind} needs a separator`);
      const [field] = fieldNames(db, [tool.field]);
      return ({ tags }) => {
        const values = tags[field!] ?? [];
        if (tool.kind === 'join')
          return { [field!]: values.length > 1 ? [values.join(tool.separator)] : values };
        return {
          [field!]: values.flatMap((v) =>
            v
              .split(tool.separator)
              .map((x) => x.trim())
              .filter((x) => x !== ''),
          ),
        };
      };
    }
  }
}

/** What one step makes of one track, as the library would store it, or why it cannot. */
function storedResult(result: Record<string, string[]> | string): Record<string, string[]> | string {
  if (typeof result === 'string') return result;
  let stored: Record<string, string[]>;
  try {
    // Numbers as the library stores them ("07" is 7; "2/9" sets the total too; "A1" kept as it is).
    const { fields } = storedNumbers(Object.entries(result).map(([key, values]) => ({ key, values })));
    stored = Object.fromEntries(fields.map((x) => [x.key, [...x.values]]));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return err.message;
  }
  const problem = Object.entries(stored)
    .flatMap(([k, vs]) => vs.map((v) => validateFieldValue(k, v)))
    .find((p) => p !== undefined);
  return problem ?? stored;
}

/**
 * The changes `steps` would make to the tracks, in their order (the order numbering follows): each step
 * works on what the steps before it left (an action's "tags from file names, then title case" cases the
 * titles it just read), and a track a step cannot serve is left as it is by that step only.
 */
export function planSteps(
  db: Db,
  tracks: Pick<ToolTracks, 'ids' | 'recordings'>,
  steps: readonly TagTool[],
): ToolPlan {
  const files = filesByIds(db, tracks.ids);
  if (files.length !== tracks.ids.length)
    throw new EditError('some of the tracks are no longer in the library: preview again');
  const working = files.map((f) => ({ ...f, tags: { ...f.tags } }));
  const touched = files.map(() => new Set<string>());
  const refused = files.map((): string[] => []);
  steps.forEach((tool, n) => {
    const step = stepOf(db, tool, {
      recordings: tracks.recordings,
      discs: () => working.map((f) => f.tags.discnumber?.[0]),
    });
    working.forEach((f, i) => {
      const result = storedResult(step(f, i));
      if (typeof result === 'string') {
        refused[i]!.push(steps.length > 1 ? `step ${n + 1}: ${result}` : result);
        return;
      }
      for (const [key, values] of Object.entries(result)) {
        f.tags[key] = values;
        touched[i]!.add(key);
      }
    });
  });
  const changes = files.flatMap((f, i): PlannedChange[] => {
    const stored = Object.fromEntries([...touched[i]!].map((k) => [k, working[i]!.tags[k] ?? []]));
    // A cleared field is a change too (a swap with an empty field, a value replaced by nothing).
    const { changes: mine } = fieldChanges(f.id, f.tags, stored);
    const cleared = Object.entries(stored)
      .filter(([k, vs]) => vs.length === 0 && (f.tags[k] ?? []).length > 0)
      .map(([k]) => ({ fileId: f.id, key: k, before: f.tags[k]!, after: [] }));
    return [...mine, ...cleared];
  });
  const changed = new Set(changes.map((c) => c.fileId));
  const skipped: StepRefusal[] = [];
  const partly: StepRefusal[] = [];
  files.forEach((f, i) => {
    if (refused[i]!.length === 0) return;
    (changed.has(f.id) ? partly : skipped).push({ fileId: f.id, reason: refused[i]!.join('; ') });
  });
  return { changes, skipped, partly };
}

/** Checks each step as it would be run (a pattern, a field name, a script), on no track: a tool's
 *  refusal, before anything is saved or planned. */
export function checkSteps(db: Db, steps: readonly TagTool[]): void {
  planSteps(db, { ids: [], recordings: [] }, steps);
}

/** The changes one tool would make (planSteps of that tool alone). */
export function planTool(db: Db, tracks: Pick<ToolTracks, 'ids' | 'recordings'>, tool: TagTool): ToolPlan {
  return planSteps(db, tracks, [tool]);
}
