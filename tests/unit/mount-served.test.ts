// When daemons served a mount point (mount-registry.ts: noteServed, servedBefore): what one daemon
// records is read back by the next; a record that is not one of ours (another shape, times out of order,
// too large to be one) reads as none, so a tagger's saves count from the new daemon's start.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { noteServed, servedBefore } from '../../app/core/mounts/mount-registry.ts';
import { tempDir } from '../helpers.ts';

it('reads back what a daemon recorded, and refuses what is no such record', () => {
  const home = tempDir();
  const mnt = '/mnt/music';
  expect(servedBefore(home, mnt)).toBeUndefined();
  noteServed(home, mnt, { since: 1000, until: 2000 });
  expect(servedBefore(home, mnt)).toEqual({ since: 1000, until: 2000 });
  const file = join(home, 'mounts', readdirSync(join(home, 'mounts')).find((n) => n.endsWith('.served'))!);
  for (const bad of [
    '{"since":3000,"until":2000}',
    '{"since":1000,"until":2000,"pid":1}',
    '{"since":-1}',
    '{"since":1.5}',
    `{"since":1000,"pad":"${'x'.repeat(5000)}"}`,
  ]) {
    writeFileSync(file, bad);
    expect(servedBefore(home, mnt), bad.slice(0, 40)).toBeUndefined();
  }
});
