// A scan that meets a Sleeve mount says whose library it serves: the daemon names its home in the mount's
// source (fsname), and a mount of another library is not "this library's own".
import { describe, expect, it } from 'vitest';
import { fsnameOption } from '../../app/core/mounts/mount-source.ts';
import { type OffLimits, whyOffLimits } from '../../app/core/scan/off-limits.ts';

describe('the library a mount serves', () => {
  it('is named in fusermount3 -o, its commas and backslashes escaped', () => {
    expect(fsnameOption('/home/me/.local/share/sleeve')).toBe('fsname=sleeve:/home/me/.local/share/sleeve');
    expect(fsnameOption('/m/a, b\\c')).toBe('fsname=sleeve:/m/a\\, b\\\\c');
  });

  it('is said when a scan is refused a folder inside the mount', () => {
    const limits: OffLimits = {
      folders: new Set(),
      devices: new Set(),
      files: new Set(),
      paths: ['/mnt/mine', '/mnt/theirs', '/mnt/old'],
      home: '/home/me/sleeve',
      mounts: new Map([
        ['/mnt/mine', '/home/me/sleeve'],
        ['/mnt/theirs', '/home/you/sleeve'],
        ['/mnt/old', undefined], // by a Sleeve that did not name it
      ]),
      excluded: [],
      excludedAt: new Map(),
      servedHomes: new Map([
        ['/home/me/sleeve', '/home/me/sleeve'],
        ['/home/you/sleeve', '/home/you/sleeve'],
      ]),
    };
    expect(whyOffLimits('/mnt/mine/Artist', limits)).toBe(
      'it is inside the Sleeve mount at /mnt/mine, which serves this library (its files, served again)',
    );
    expect(whyOffLimits('/mnt/theirs/Artist/Album', limits)).toBe(
      'it is inside the Sleeve mount at /mnt/theirs, which serves the library in /home/you/sleeve (its files, served again)',
    );
    expect(whyOffLimits('/mnt/old', limits)).toBe(
      'it is inside the Sleeve mount at /mnt/old, which serves a library it does not name (its files, served again)',
    );
  });
});
