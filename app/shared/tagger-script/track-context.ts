// A track as a TaggerScript sees it (Picard's variables): its fields by Picard's names, a performer
// credited "Name (role)" as `performer:role` (Picard's own form), and the file's facts as Picard's hidden
// variables (%_filename%, %_extension%, %_dirname%, %_length%, %_bitrate%…). Pure: the mount's layout,
// the CLI and the tag tool make it alike.
import type { FileFacts } from '../fields.ts';
import { picardFormatName } from '../format-names.ts';
import { performerParts } from '../performer-credit.ts';
import { ScriptContext } from './context.ts';
import { pyFloatText, pyRound } from './python.ts';

/** Picard's %_length% (its util.format_time): whole milliseconds (its metadata.length) rounded to seconds
 *  as Python rounds (half to even), as m:ss, or h:mm:ss from an hour; "?:??" for none. */
function length(duration: number): string {
  const ms = Math.trunc(duration * 1000);
  if (ms === 0) return '?:??';
  const seconds = pyRound(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** `value` as a field's value is given to the script (a file name's script: its "/" made "_"). */
export type ValueFilter = (value: string) => string;

export function trackScriptContext(
  tags: Iterable<readonly [string, readonly string[]]>,
  file: Pick<
    FileFacts,
    'path' | 'duration' | 'bitrate' | 'sampleRate' | 'channels' | 'bitDepth' | 'format' | 'codec'
  >,
  filter: ValueFilter = (v) => v,
): ScriptContext {
  const context = new ScriptContext();
  for (const [key, values] of tags) {
    if (key.toLowerCase() !== 'performer') {
      context.set(key.toLowerCase(), values.map(filter));
      continue;
    }
    for (const value of values) {
      const { name, role } = performerParts(value);
      const field = `performer:${role ?? ''}`;
      context.set(field, [...context.getall(field), filter(name)]);
    }
  }
  const slash = file.path.lastIndexOf('/');
  const name = file.path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const facts: Array<[string, string | number | null]> = [
    ['filename', dot > 0 ? name.slice(0, dot) : name],
    ['extension', dot > 0 ? name.slice(dot + 1) : ''],
    ['dirname', slash > 0 ? file.path.slice(0, slash) : ''],
    ['length', file.duration === null ? null : length(file.duration)],
    // Picard's bits per second are mutagen's, a whole number, over 1000.0.
    ['bitrate', file.bitrate === null ? null : pyFloatText(Math.trunc(file.bitrate) / 1000)],
    ['sample_rate', file.sampleRate],
    ['channels', file.channels],
    ['bits_per_sample', file.bitDepth],
    ['format', file.format === null ? null : picardFormatName(file.format, file.codec)],
  ];
  for (const [fact, value] of facts)
    if (value !== null && value !== '') context.set(`~${fact}`, String(value));
  return context;
}
