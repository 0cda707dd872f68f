// Track and disc numbers as taggers write them: "5", "05", "5/12", "05/12", " 5 " (ID3's TRCK and TPOS
// are "n/total" by definition; EasyTAG and many rippers pad with zeros). The library stores a number and
// its total apart and unpadded, as Picard and mutagen do (tracknumber + totaltracks, discnumber +
// totaldiscs); padding is for display (the templates' %num). A value that reads as no number ("A1" on a
// vinyl rip) is kept as written, with a warning: a save is never lost for it. The one reading of these
// fields: the tag readers, every edit (CLI, app, identify, tag tools), the mount's write-back and the
// renderer's track column use it. Pure.

import { UserError } from '../../kit/user-error.ts';

/** Each numbered field and the field its total goes to. */
export const NUMBER_TOTALS = { tracknumber: 'totaltracks', discnumber: 'totaldiscs' } as const;
const TOTALS: ReadonlySet<string> = new Set(Object.values(NUMBER_TOTALS));

export interface NumberReading {
  /** Without padding ("5"); absent when only a total was written ("/12"). */
  readonly number?: string;
  /** The total after a "/", without padding; absent when none was written, or 0 (MP4's "no total"). */
  readonly total?: string;
}

const NUMBER_PAIR = /^\s*(\d*)\s*(?:\/\s*(\d*)\s*)?$/;
/** Longer numbers are no track or disc number (no tag format holds one). */
const MAX_DIGITS = 6;

/** Digits without their padding; undefined for none, or too many. */
function unpadded(digits: string | undefined): string | undefined {
  if (!digits) return undefined;
  const n = digits.replace(/^0+(?=\d)/, '');
  return n.length <= MAX_DIGITS ? n : undefined;
}

/** "05/12" → number 5, total 12; undefined when the text is no number. */
export function readNumber(text: string): NumberReading | undefined {
  const m = NUMBER_PAIR.exec(text);
  if (!m) return undefined;
  const number = unpadded(m[1]);
  const total = unpadded(m[2]);
  if ((m[1] && number === undefined) || (m[2] && total === undefined)) return undefined;
  const reading = {
    ...(number !== undefined ? { number } : {}),
    ...(total !== undefined && total !== '0' ? { total } : {}),
  };
  return reading.number !== undefined || reading.total !== undefined ? reading : undefined;
}

/** Whether values of `key` are read as numbers here: a numbered field or a total. */
export function isNumberField(key: string): boolean {
  const lower = key.toLowerCase();
  return Object.hasOwn(NUMBER_TOTALS, lower) || TOTALS.has(lower);
}

/** A field set to values, in any spelling of its key. */
export interface FieldValues {
  readonly key: string;
  readonly values: readonly string[];
}

/** What stored values (below) says of a value kept as text. */
export const notANumber = (key: string, value: string) =>
  `${key} ${JSON.stringify(value)} is not a number: kept as text`;

/**
 * Fields as the library stores them: each value of a numbered field read as its number ("05" → "5"), a
 * total it carries ("2/9") set on the total field; a total field's values unpadded. Values that read as no
 * number are kept as written, each with a warning. Other fields pass unchanged. A total that the same
 * changes also set to something else is an error.
 */
export function storedNumbers(fields: readonly FieldValues[]): {
  fields: FieldValues[];
  warnings: string[];
} {
  const out = new Map<string, FieldValues>();
  const derived = new Map<string, { from: FieldValues; totals: string[] }>();
  const warnings: string[] = [];
  const read = (f: FieldValues, value: string, totalAllowed: boolean): NumberReading | undefined => {
    const reading = readNumber(value);
    if (reading && (totalAllowed || reading.total === undefined)) return reading;
    warnings.push(notANumber(f.key, value));
    return undefined;
  };
  for (const f of fields) {
    const lower = f.key.toLowerCase();
    const totalKey = Object.hasOwn(NUMBER_TOTALS, lower)
      ? NUMBER_TOTALS[lower as keyof typeof NUMBER_TOTALS]
      : undefined;
    if (totalKey !== undefined) {
      const numbers: string[] = [];
      const totals: string[] = [];
      for (const v of f.values) {
        const reading = read(f, v, true);
        if (!reading) numbers.push(v);
        if (reading?.number !== undefined) numbers.push(reading.number);
        if (reading?.total !== undefined && !totals.includes(reading.total)) totals.push(reading.total);
      }
      // Only a total written ("/12"): the number is left as it is, not cleared.
      if (numbers.length > 0 || f.values.length === 0) out.set(lower, { key: f.key, values: numbers });
      if (totals.length > 0) derived.set(totalKey, { from: f, totals });
    } else if (TOTALS.has(lower)) {
      // A total of 0 is none, written alone (Vorbis TRACKTOTAL=0) as after a "/" (MP4's 5/0).
      const values = f.values.map((v) => read(f, v, false)?.number ?? v).filter((v) => v !== '0');
      out.set(lower, { key: f.key, values });
    } else out.set(lower, f);
  }
  for (const [totalKey, { from, totals }] of derived) {
    const given = out.get(totalKey);
    if (!given) out.set(totalKey, { key: totalKey, values: totals });
    else if (given.values.length !== totals.length || given.values.some((v, i) => v !== totals[i]))
      throw new UserError(
        'bad_request',
        `${from.key} ${from.values.map((v) => JSON.stringify(v)).join(', ')} gives ${totalKey} ${totals.join(', ')}, but ${given.key} is set to ${given.values.length > 0 ? given.values.map((v) => JSON.stringify(v)).join(', ') : 'nothing'} too`,
      );
  }
  return { fields: [...out.values()], warnings };
}

/** The number in `text` with at least `width` digits ("5/12", 2 → "05"); text that is no number as it is. */
export function paddedNumber(text: string, width: number): string {
  const number = readNumber(text)?.number;
  return number === undefined ? text : number.padStart(width, '0');
}

/** How many discs a file's numbers say its album has at least: the higher of its disc number and its disc
 *  total (either may carry the other, "2/3"); 0 when neither reads as a number. */
export function discsSaid(disc: string | null | undefined, total: string | null | undefined): number {
  const numbers = [disc, total].flatMap((text) => {
    const reading = text == null ? undefined : readNumber(text);
    return [reading?.number, reading?.total].flatMap((n) => (n === undefined ? [] : [Number(n)]));
  });
  return Math.max(0, ...numbers);
}
