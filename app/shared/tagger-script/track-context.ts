// A track as a TaggerScript sees it (Picard's variables): its fields by Picard's names, a performer
// credited "Name (role)" as `performer:role` (Picard's own form), and the file's facts as Picard's hidden
// variables (%_filename%, %_extension%, %_dirname%, %_length%, %_bitrate%…). Pure: the mount's layout,
// the CLI and the tag tool make it alike.
import type { FileFacts } from '../fields.ts';
import { performerParts } from '../performer-credit.ts';
import { ScriptContext } from './context.ts';

/** Picard's %_length%: m:ss. */
const length = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds) % 60).padStart(2, '0')}`;

/** `value` as a field's value is given to the script (a file name's script: its "/" made "_"). */
export type ValueFilter = (value: string) => string;

export function trackScriptContext(
  tags: Iterable<readonly [string, readonly string[]]>,
  file: Pick<FileFacts, 'path' | 'duration' | 'bitrate' | 'sampleRate' | 'channels' | 'bitDepth' | 'format'>,
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
    ['bitrate', file.bitrate === null ? null : (file.bitrate / 1000).toFixed(3)],
    ['sample_rate', file.sampleRate],
    ['channels', file.channels],
    ['bits_per_sample', file.bitDepth],
    ['format', file.format],
  ];
  for (const [fact, value] of facts)
    if (value !== null && value !== '') context.set(`~${fact}`, String(value));
  return context;
}
