import { describe, expect, it } from 'vitest';
import {
  addRule,
  canApply,
  changed,
  draftOf,
  moveRule,
  previewed,
  rebased,
  removeRule,
  ruleFrom,
} from '../../renderer/src/copy-rules-draft.ts';

const change = {
  group: 1,
  from: { id: 1, path: '/a.flac' },
  to: { id: 2, path: '/b.mp3' },
  carries: [],
  keepsNewer: [],
};

describe('the copy rules draft', () => {
  it('makes a rule of the form, none of an empty folder', () => {
    expect(ruleFrom('folder', ' /music/lossless ')).toBe('folder:/music/lossless');
    expect(ruleFrom('folder', '  ')).toBeUndefined();
    expect(ruleFrom('format', 'mp3')).toBe('format:mp3');
    expect(ruleFrom('first', 'ignored')).toBe('first');
  });

  it('adds, moves and removes rules in order; a rule already there is not added twice', () => {
    let d = draftOf(['format:flac']);
    d = addRule(addRule(d, 'first'), 'first');
    expect(d.rules).toEqual(['format:flac', 'first']);
    d = moveRule(d, 1, -1);
    expect(d.rules).toEqual(['first', 'format:flac']);
    expect(moveRule(d, 0, -1)).toBe(d);
    expect(moveRule(d, 1, 1)).toBe(d);
    d = removeRule(d, 0);
    expect(d.rules).toEqual(['format:flac']);
    expect(changed(d)).toBe(false);
  });

  it('applies only what was shown: any change to the draft takes its preview away', () => {
    let d = addRule(draftOf([]), 'format:mp3');
    expect(canApply(d)).toBe(false);
    d = previewed(d, { rules: ['format:mp3'], changes: [change] });
    expect(canApply(d)).toBe(true);
    const moved = addRule(d, 'first');
    expect(moved.preview).toBeNull();
    expect(canApply(moved)).toBe(false);
    // A preview made of an older draft, answered late, is not taken for the new one.
    expect(previewed(moved, { rules: ['format:mp3'], changes: [change] }).preview).toBeNull();
    // The rules in force need no setting, shown or not.
    expect(canApply(previewed(draftOf(['first']), { rules: ['first'], changes: [] }))).toBe(false);
  });

  it('follows rules set elsewhere, unless the draft is being changed', () => {
    const idle = draftOf(['first']);
    expect(rebased(idle, ['format:flac']).rules).toEqual(['format:flac']);
    const editing = addRule(idle, 'format:mp3');
    const over = rebased(editing, ['format:flac']);
    expect(over.rules).toEqual(['first', 'format:mp3']);
    expect(over.saved).toEqual(['format:flac']);
    expect(rebased(over, ['format:flac'])).toBe(over);
  });
});
