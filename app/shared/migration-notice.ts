// What a process opening a large library says before its migrations run (app/core/db/database.ts), and
// what the desktop shell sees to lift its deadline for the backend's start (main/main.ts): a
// million tracks' migrations may take a minute, past that deadline.

const OPENING = 'bringing the library';

/** The notice, for `megabytes` of library going from schema `from` to `to`. */
export const migrationNotice = (megabytes: number, from: number, to: number): string =>
  `${OPENING} (${megabytes} MB) up to this Sleeve's schema (${from} → ${to}): this may take a minute`;

/** Whether `text` (a process's output so far) holds the notice. */
export const saysMigrating = (text: string): boolean => text.includes(`${OPENING} (`);
