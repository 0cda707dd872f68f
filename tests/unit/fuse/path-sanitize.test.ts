// Path components from tags are safe on every filesystem the mount is exported or copied to.
import { describe, expect, it } from 'vitest';
import { PathTemplate, sanitizeComponent } from '../../../app/core/served/path-template.ts';
import { fileFacts } from '../../fixtures/file-facts.ts';

const safe = (text: string) => sanitizeComponent(text, 255);

describe('sanitizeComponent', () => {
  it.each([
    ['a<b>c:d"e?f*g|h\\i', 'a_b_c_d_e_f_g_h_i'], // beets' replacements, and Windows' forbidden characters
    ['-rf', '_rf'], // never read as an option by a shell command
    ['.hidden', '_hidden'],
    ['..', '_'],
    ['bell\u0007 and c1\u0085\u009b here', 'bell and c1 here'], // C0 and C1 control characters
    ['invoice\u202Egnp.exe', 'invoicegnp.exe'], // a right-to-left override would show "exe.png"
    ['\u2066isolated\u2069 \u200Fmark', 'isolated mark'],
    ['CON', '_CON'],
    ['lpt1.backup', '_lpt1.backup'],
    ['Console', 'Console'],
    ['trailing dots...', 'trailing dots'],
    ['   ', '_'],
  ])('%j → %j', (input, output) => {
    expect(safe(input)).toBe(output);
  });

  it('cuts to the byte limit at a character boundary', () => {
    expect(Buffer.byteLength(sanitizeComponent('é'.repeat(200), 255))).toBe(254);
  });

  it('keeps hostile tags from making or escaping directories in the mount', () => {
    const template = new PathTemplate();
    const parts = template.components({
      tags: new Map([
        ['albumartist', ['../../etc']],
        ['album', ['CON']],
        ['title', ['-x\u202E3pm.evil']],
        ['tracknumber', ['1']],
      ]),
      stem: 'original',
      extension: '.mp3',
      facts: fileFacts('/music/original.mp3', { format: 'mp3' }),
    });
    expect(parts).toEqual(['_._.._etc', '_CON', '01 -x3pm.evil.mp3']);
  });
});
