// Migrations over a large library are announced before they run (a minute at a million tracks, where a
// command said nothing meanwhile, and the desktop shell gave up on its backend after 30 s); a small
// library's, a new library's and an up-to-date one's are not.
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { MIGRATIONS } from '../../app/core/db/migrations.ts';
import { saysMigrating } from '../../app/shared/migration-notice.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { tempDir } from '../helpers.ts';

const told = (file: string): string[] => {
  const said: string[] = [];
  openDatabase(file, { onMigrate: (m) => said.push(m) }).close();
  return said;
};

it('says a large library is being brought up to date, as the desktop shell recognizes', () => {
  const { file, old } = olderLibrary(51);
  // 101 MB of rows: the size a library of about 80,000 tracks has.
  old.exec('CREATE TABLE padding (x BLOB)');
  const pad = old.prepare('INSERT INTO padding VALUES (zeroblob(1048576))');
  for (let i = 0; i < 101; i++) pad.run();
  old.close();
  const said = told(file);
  expect(said).toEqual([
    expect.stringMatching(
      new RegExp(
        `^bringing the library \\(10[12] MB\\) up to this Sleeve's schema \\(51 → ${MIGRATIONS.length}\\)`,
      ),
    ),
  ]);
  // The shell lifts its deadline for the backend's start on it, in whatever the backend wrote.
  expect(saysMigrating(`other output\nsleeve: ${said[0]}…\n`)).toBe(true);
  expect(saysMigrating('other output\n')).toBe(false);
  expect(told(file)).toEqual([]); // up to date now
});

it('says nothing for a small library, or a new one', () => {
  const { file, old } = olderLibrary(51);
  old.close();
  expect(told(file)).toEqual([]);
  expect(told(`${tempDir()}/library.db`)).toEqual([]);
});
