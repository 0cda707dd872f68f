// Which file the app sends to import, as `sleeve import` reads it: its format by its name's ending, and at
// most the size an import reads.
import { MAX_IMPORT_BYTES } from '../../app/shared/rpc-contract.ts';
import { formatOfName } from '../../app/shared/text-formats.ts';

/** Why the app does not send `file` to import, if it does not. */
export function refusedFile(file: { name: string; size: number }): string | null {
  if (!formatOfName(file.name)) return `${file.name}: choose a .csv, .tsv or .json file`;
  if (file.size <= MAX_IMPORT_BYTES) return null;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  return `${file.name} is ${mib(file.size)}: an import reads up to ${mib(MAX_IMPORT_BYTES)}`;
}
