// The Mount view's form (renderer/src/mount-form.ts): a path template checked as typed, and why the Mount
// button cannot mount, said in its tooltip.
import { describe, expect, it } from 'vitest';
import { checkTemplate, mountRefusal } from '../../renderer/src/mount-form.ts';

const ready = { busy: false, unavailable: null, mountpoint: '~/Sleeve', templateInvalid: false };

describe("the Mount view's form", () => {
  it('takes a template, and says where one is wrong or that one is needed', () => {
    expect(checkTemplate('$albumartist/$album/$title')).toBeUndefined();
    expect(checkTemplate('  ')).toEqual({ message: 'a template is needed', start: 0, length: 1 });
    expect(checkTemplate('$album/%if{$x')).toMatchObject({ start: expect.any(Number), length: 1 });
  });

  it('mounts when all is ready, and otherwise says the first thing to do', () => {
    expect(mountRefusal(ready)).toBeUndefined();
    expect(mountRefusal({ ...ready, unavailable: 'no /dev/fuse', templateInvalid: true })).toBe(
      'Mounting is not available here: no /dev/fuse',
    );
    expect(mountRefusal({ ...ready, templateInvalid: true, mountpoint: '' })).toBe(
      'Fix the path template first',
    );
    expect(mountRefusal({ ...ready, mountpoint: '   ' })).toBe('Type a mount point first');
    expect(mountRefusal({ ...ready, busy: true })).toBe('Another mount action is under way');
  });
});
