// A directory handle kept open while the library changes, then read again from its start (rewinddir, as a
// file manager or a player's folder view does): each new listing shows the change, and the daemon lives.
// The binding used to keep a listing's snapshot in the handle's fi->fh from readdir, which libfuse does not
// keep: the next readdir got the snapshot already released (a use-after-free, then a double free when the
// handle closed), and the mount daemon died right after a change (SIGSEGV at address 0 in snap_node).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleeveJson, tool } from '../helpers.ts';
import { PY, TestMount } from '../mount-helpers.ts';

const CLI = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;

/** Opens the mount's root once, then three times: an edit, then rewinddir and a full read until the
 *  listing shows it (the new folder there, the old one gone). */
const REWINDER = `
import ctypes, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.opendir.restype = ctypes.c_void_p
libc.opendir.argtypes = [ctypes.c_char_p]
libc.readdir.restype = ctypes.c_void_p
libc.readdir.argtypes = [ctypes.c_void_p]
libc.rewinddir.argtypes = [ctypes.c_void_p]
libc.closedir.argtypes = [ctypes.c_void_p]
class Dirent(ctypes.Structure):
    _fields_ = [('ino', ctypes.c_ulong), ('off', ctypes.c_long), ('reclen', ctypes.c_ushort),
                ('type', ctypes.c_ubyte), ('name', ctypes.c_char * 256)]
def names(d):
    out = []
    while True:
        ctypes.set_errno(0)
        p = libc.readdir(d)
        if not p:
            if ctypes.get_errno():
                raise OSError(ctypes.get_errno(), 'readdir')
            return sorted(n for n in out if n not in ('.', '..'))
        out.append(ctypes.cast(p, ctypes.POINTER(Dirent)).contents.name.decode())
mnt, node, cli, home = sys.argv[1:5]
d = libc.opendir(mnt.encode())
print('start', names(d), flush=True)
for round in range(3):
    subprocess.run([node, cli, '--home', home, 'set', 'path:one', 'artist=Round %d' % round, '-y'],
                   check=True, capture_output=True)
    deadline = time.time() + 10
    # Rewound until the listing shows the edit: between a new tree and the notifier thread's invalidation,
    # the kernel may still answer a rewound handle from the listing it cached. Only a rewind that reaches
    # the daemon (offset 0 after the invalidation) shows the round, and that is the call that used to crash.
    while True:
        libc.rewinddir(d)
        listed = names(d)
        # The edit moves the folder: its new name shows, and the old one is gone (while the new tree is
        # pending, a listing names the folder it gains beside the one it loses).
        before = 'Start' if round == 0 else 'Round %d' % (round - 1)
        if 'Round %d' % round in listed and before not in listed:
            break
        if time.time() > deadline:
            sys.exit('the rewound listing did not show round %d: %s' % (round, listed))
        time.sleep(0.02)
    print(round, listed, flush=True)
libc.closedir(d)
`;

describe('a directory read again from its start after the library changed', () => {
  const m = new TestMount();

  beforeAll(() => {
    for (const name of ['one', 'two'])
      tool('sox', [
        '-n',
        '-r',
        '44100',
        '-c',
        '1',
        join(m.music, `${name}.flac`),
        'synth',
        '1',
        'sine',
        '440',
      ]);
    m.start(
      ['one.flac', 'two.flac'],
      [
        ['one.flac', 'artist=Start'],
        ['two.flac', 'artist=Other'],
      ],
    );
  });

  afterAll(() => m.stop()); // unmounts and checks no original changed

  it('lists each change, and the daemon survives the handle being rewound and closed', () => {
    const r = spawnSync(PY, ['-c', REWINDER, m.mnt, process.execPath, CLI, m.home], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      "start ['Other', 'Start']",
      "0 ['Other', 'Round 0']",
      "1 ['Other', 'Round 1']",
      "2 ['Other', 'Round 2']",
    ]);
    const [mount] = sleeveJson<Array<{ pid: number; log: string }>>(m.home, ['mounts', '--json']);
    expect(() => process.kill(mount!.pid, 0)).not.toThrow();
    expect(readFileSync(mount!.log, 'utf8')).not.toMatch(/fatal signal|exiting with code/);
  });
});
