// The fields beets shows its own way in a path (its library.py types), for a beets config's layout: the
// format by beets' names, the bit and sample rates scaled, a date's month and day padded, the flags as
// Python's bools. Each names the tags it reads, so a mount loads them (path-template.ts: tagKeys) and a
// check of the layout knows the field (checked-template.ts).
import type { FileFacts } from '../../shared/fields.ts';
import { beetsFormatName } from '../../shared/format-names.ts';
import { pyInt } from '../../shared/tagger-script/python.ts';

/** A date's month or day as beets has it (mediafile: the text before a "T" or space, split at "-" and
 *  "/", each part Python's int), padded to two digits: "00" when it has none. */
function datePart(date: string | undefined, part: 1 | 2): string {
  const text = (date ?? '').replace(/[Tt ].*$/, '').split(/[-/]/)[part];
  return String(text === undefined ? 0 : (pyInt(text) ?? 0)).padStart(2, '0');
}

export type First = (key: string) => string | undefined;
const bool = (yes: boolean) => (yes ? 'True' : 'False');

/** Each field beets shows otherwise than Sleeve: the tags it reads, and its text. */
const SHOWN: Record<
  string,
  { readonly reads: readonly string[]; show(file: FileFacts, first: First): string }
> = {
  format: { reads: [], show: (file) => beetsFormatName(file.format, file.codec) },
  bitrate: { reads: [], show: (file) => `${Math.floor((file.bitrate ?? 0) / 1000)}kbps` },
  samplerate: { reads: [], show: (file) => `${Math.floor((file.sampleRate ?? 0) / 1000)}kHz` },
  month: { reads: ['date'], show: (_, first) => datePart(first('date'), 1) },
  day: { reads: ['date'], show: (_, first) => datePart(first('date'), 2) },
  original_month: { reads: ['originaldate'], show: (_, first) => datePart(first('originaldate'), 1) },
  original_day: { reads: ['originaldate'], show: (_, first) => datePart(first('originaldate'), 2) },
  compilation: {
    reads: ['compilation'],
    show: (_, first) => bool((pyInt(first('compilation') ?? '') ?? 0) !== 0),
  },
  singleton: { reads: ['album'], show: (_, first) => bool(first('album') === undefined) },
};

/** The tags a field beets shows its own way reads; undefined for any other field. */
export const beetsShownReads = (name: string): readonly string[] | undefined =>
  Object.hasOwn(SHOWN, name) ? SHOWN[name]!.reads : undefined;

/**
 * A field as beets shows it where Sleeve shows it otherwise, else undefined: the format as beets names it
 * ("FLAC", "OGG"), the bit rate and sample rate cut to whole kbps and kHz ("253kbps", "44kHz"), the month
 * and day of the date and of the original date ("09"; "00" when it has none), the compilation flag and
 * whether the track is on no album (singleton) as Python's bools.
 */
export function beetsShown(name: string, file: FileFacts, first: First): string | undefined {
  return Object.hasOwn(SHOWN, name) ? SHOWN[name]!.show(file, first) : undefined;
}
