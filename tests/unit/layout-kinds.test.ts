// A mount's layout said in a line, as `sleeve mounts` and the app's list of mounts say it: a template as it
// is, a Picard naming script by its lines, a beets config's formats by their count.
import { expect, it } from 'vitest';
import { layoutText } from '../../app/shared/layout-kinds.ts';

it('says a layout in a line', () => {
  expect(layoutText('$albumartist/$album/$title')).toBe('$albumartist/$album/$title');
  expect(layoutText('picard:%artist%/\n%title%')).toBe('a Picard naming script (2 lines)');
  expect(layoutText('beets:[["^album:","x"],[null,"y"]]')).toBe("a beets config's path formats (2)");
  expect(layoutText('beets:{oops')).toBe("a beets config's path formats (?)");
});
