// A file the user names is refused plainly when it is not there or larger than its reader's bound, and
// read when it is neither.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapped } from '../../kit/capped-file.ts';
import { tempDir } from '../helpers.ts';

describe('a capped file', () => {
  it('is read within its bound, and refused past it or when absent, saying why', () => {
    const path = join(tempDir(), 'script.ptsp');
    writeFileSync(path, '$set(genre,Rock)');
    expect(readCapped(path, 16, 'the script')).toBe('$set(genre,Rock)');
    expect(() => readCapped(path, 15, 'the script')).toThrow(
      `${path} is 16 bytes: the script is at most 15 bytes`,
    );
    expect(() => readCapped(`${path}.gone`, 15, 'the script')).toThrow(
      `cannot read the script ${path}.gone: no such file or directory (ENOENT)`,
    );
  });
});
