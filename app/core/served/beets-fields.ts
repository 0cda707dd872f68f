// The fields beets shows its own way in a path (its library.py types), for a beets config's layout
// (path-template.ts asks here first): the format by beets' names, the bit and sample rates scaled, a date's
// month and day padded, the flags as Python's bools.
import type { FileFacts } from '../../shared/fields.ts';
import { beetsFormatName } from '../../shared/format-names.ts';
import { pyInt } from '../../shared/tagger-script/python.ts';

/** A date's month or day as beets has it (mediafile: the text before a "T" or space, split at "-" and
 *  "/", each part Python's int), padded to two digits: "00" when it has none. */
function datePart(date: string | undefined, part: 1 | 2): string {
  const text = (date ?? '').replace(/[Tt ].*$/, '').split(/[-/]/)[part];
  return String(text === undefined ? 0 : (pyInt(text) ?? 0)).padStart(2, '0');
}

/**
 * A field as beets shows it where Sleeve shows it otherwise (its library.py types), else undefined: the
 * format as beets names it ("FLAC", "OGG"), the bit rate and sample rate cut to whole kbps and kHz
 * ("253kbps", "44kHz"), the month and day of the date and of the original date ("09"; "00" when it has
 * none), the compilation flag and whether the track is on no album (singleton) as Python's bools.
 */
export function beetsShown(
  name: string,
  file: FileFacts,
  first: (key: string) => string | undefined,
): string | undefined {
  switch (name) {
    case 'format':
      return beetsFormatName(file.format, file.codec);
    case 'bitrate':
      return `${Math.floor((file.bitrate ?? 0) / 1000)}kbps`;
    case 'samplerate':
      return `${Math.floor((file.sampleRate ?? 0) / 1000)}kHz`;
    case 'month':
    case 'day':
      return datePart(first('date'), name === 'month' ? 1 : 2);
    case 'original_month':
    case 'original_day':
      return datePart(first('originaldate'), name === 'original_month' ? 1 : 2);
    case 'compilation':
      return (pyInt(first('compilation') ?? '') ?? 0) !== 0 ? 'True' : 'False';
    case 'singleton':
      return first('album') === undefined ? 'True' : 'False';
    default:
      return undefined;
  }
}
