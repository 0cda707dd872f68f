// A list of changes (sleeve history BATCH, set's preview) shows each long value cut, its length said: a
// song's 5,000-character lyrics filled the terminal. Short values are shown whole, quoted.
import { expect, it } from 'vitest';
import { shownValues, valuesText } from '../../app/cli/format.ts';

it('cuts a long value, saying its length, and shows short ones whole', () => {
  const lyrics = 'la '.repeat(2000);
  expect(shownValues(['Title', lyrics])).toBe(`"Title", "${'la '.repeat(40)}"… (6000 characters)`);
  expect(shownValues([])).toBe('(none)');
  expect(valuesText([lyrics])).toBe(JSON.stringify(lyrics)); // what is compared stays whole
});
