// Which file the app sends to import, as `sleeve import` reads it: its format by its name's ending, and at
// most the size an import of that format reads.
import { MAX_IMPORT_BYTES, MAX_JSON_IMPORT_BYTES } from '../../app/shared/rpc-contract.ts';
import { formatOfName } from '../../app/shared/text-formats.ts';

/** Why the app does not send `file` to import, if it does not. */
export function refusedFile(file: { name: string; size: number }): string | null {
  const format = formatOfName(file.name);
  if (!format) return `${file.name}: choose a .csv, .tsv or .json file`;
  const most = format === 'json' ? MAX_JSON_IMPORT_BYTES : MAX_IMPORT_BYTES;
  if (file.size <= most) return null;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${file.name} is ${mib(file.size)}: a ${format.toUpperCase()} import reads up to ${mib(most)}`;
}
