// Which file the app sends to import, as `sleeve import` reads it: its format by its name's ending, and
// whether it fits in one message to the backend (checked again once read, as sent).
import { MAX_IMPORT_TEXT } from '../../app/shared/rpc-contract.ts';
import { formatOfName } from '../../app/shared/text-formats.ts';

export const tooLarge = (name: string, bytes: number) =>
  `${name} is ${(bytes / 1024 / 1024).toFixed(1)} MiB as sent: the app imports up to ${MAX_IMPORT_TEXT / 1024 / 1024} MiB (sleeve import takes larger files)`;

/** Why the app does not send `file` to import, if it does not (its text is checked again as sent). */
export function refusedFile(file: { name: string; size: number }): string | null {
  if (!formatOfName(file.name)) return `${file.name}: choose a .csv, .tsv or .json file`;
  return file.size > MAX_IMPORT_TEXT ? tooLarge(file.name, file.size) : null;
}
