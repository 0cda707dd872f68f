// Folders made one by one: inside /proc, where mkdir answers ENOENT though the parent is there, Node's
// recursive mkdir never returned (a mount point typed in the app spun the backend's thread until killed).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeFolders } from '../../kit/make-folders.ts';
import { tempDir } from '../helpers.ts';

it('makes the missing folders, says the outermost, and nothing when the folder is there', () => {
  const dir = tempDir();
  expect(makeFolders(join(dir, 'a', 'b', 'c'), 0o700)).toBe(join(dir, 'a'));
  expect(statSync(join(dir, 'a', 'b', 'c')).mode & 0o777).toBe(0o700);
  expect(makeFolders(join(dir, 'a', 'b'))).toBeUndefined();
});

it('fails where a folder cannot be made, at once, leaving none of those it made', () => {
  expect(() => makeFolders('/proc/sleeve-test/a')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  const dir = tempDir();
  writeFileSync(join(dir, 'file'), '');
  expect(() => makeFolders(join(dir, 'file', 'a'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  expect(existsSync(join(dir, 'file', 'a'))).toBe(false);
});
