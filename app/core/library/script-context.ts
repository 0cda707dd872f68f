// A track as a TaggerScript sees it (Picard's variables): its fields by Picard's names, a performer
// credited "Name (role)" as `performer:role` (Picard's own form), and the file's facts as Picard's hidden
// variables (%_filename%, %_extension%, %_length%, %_bitrate%…).
import { basename, dirname, extname } from 'node:path';
import { ScriptContext } from '../../shared/tagger-script/context.ts';
import { performerParts } from './catalog-groups.ts';
import type { FileItem } from './list.ts';

/** Picard's %_length%: m:ss. */
const length = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds) % 60).padStart(2, '0')}`;

export function trackContext(item: FileItem): ScriptContext {
  const context = new ScriptContext();
  for (const [key, values] of Object.entries(item.tags)) {
    if (key.toLowerCase() !== 'performer') {
      context.set(key.toLowerCase(), values);
      continue;
    }
    for (const value of values) {
      const { name, role } = performerParts(value);
      const field = `performer:${role ?? ''}`;
      context.set(field, [...context.getall(field), name]);
    }
  }
  const extension = extname(item.path);
  const facts: Array<[string, string | number | null]> = [
    ['filename', basename(item.path, extension)],
    ['extension', extension.slice(1)],
    ['dirname', dirname(item.path)],
    ['length', item.duration === null ? null : length(item.duration)],
    ['bitrate', item.bitrate === null ? null : (item.bitrate / 1000).toFixed(3)],
    ['sample_rate', item.sampleRate],
    ['channels', item.channels],
    ['bits_per_sample', item.bitDepth],
    ['format', item.format],
  ];
  for (const [name, value] of facts) if (value !== null) context.set(`~${name}`, String(value));
  return context;
}
