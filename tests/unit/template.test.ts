// The shared template language: fields, escapes, functions, and errors that name the position.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Sleeve templates, not JavaScript ones
import { describe, expect, test } from 'vitest';
import { Template, TemplateError } from '../../app/shared/template.ts';

const tags: Record<string, string | string[]> = {
  title: 'Blue in Green',
  artist: ['Miles Davis', 'Bill Evans'],
  year: '1959',
  tracknumber: '3',
  discnumber: '2/2',
  empty: '',
  'txxx:mood': 'calm',
};
const lookup = (name: string) => tags[name];
const render = (source: string, separator?: string) => new Template(source).render(lookup, separator);

describe('template rendering', () => {
  test.each([
    ['$title ($year)', 'Blue in Green (1959)'],
    ['${title}s', 'Blue in Greens'],
    ['${txxx:mood}', 'calm'],
    ['$missing|$empty|', '||'],
    ['$$5 $% $, ${ $}', '$5 % , ${ }'], // ${ is no escape in beets: text
    ['%upper{$title}', 'BLUE IN GREEN'],
    ['%lower{$title}', 'blue in green'],
    ['%left{$title,4}', 'Blue'],
    ['%left{héllo,2}', 'hé'],
    ['%if{$year,[$year]}', '[1959]'],
    ['%if{$empty,yes,no}', 'no'],
    ['%if{0,yes,no} %if{false,yes,no} %if{$missing,yes}', 'no no '],
    // As beets' %if: a number is false when zero, as a missing padded track number ("00") is.
    ['%if{00,yes,no} %if{ 007 ,yes,no} %if{0x,yes,no}', 'no yes yes'],
    ['%if{$year,%upper{$title},x}', 'BLUE IN GREEN'],
    ['%first{$artist}', 'Miles Davis'],
    ['%first{a; b; c,2,1,; }', 'b; c'],
    ['%num{$tracknumber,2} %num{$discnumber,3} %num{A1,2} %num{$missing,2}.', '03 002 A1 .'],
  ])('%s → %s', (source, expected) => {
    expect(render(source, '; ')).toBe(expected);
  });

  test('multi-valued fields join with the separator given (", " by default)', () => {
    expect(render('$artist')).toBe('Miles Davis, Bill Evans');
    expect(render('$artist', '; ')).toBe('Miles Davis; Bill Evans');
  });

  test('only the chosen %if branch is evaluated', () => {
    const seen: string[] = [];
    new Template('%if{$year,$a,$b}').render((name) => {
      seen.push(name);
      return name === 'year' ? '1' : 'x';
    });
    expect(seen).toEqual(['year', 'a']);
  });
});

describe('template errors name what is wrong and where', () => {
  test.each([
    ['abc %nope{x}', 'unknown function %nope', 5],
    ['%if{a}', '%if takes 2 to 3 arguments, not 1', 1],
    ['%upper{a,b}', '%upper takes 1 argument, not 2', 1],
    ['%num{$tracknumber}', '%num takes 2 arguments, not 1', 1],
    ['x %if{$a,b', 'unclosed %if{', 3],
  ])('%s', (source, reason, position) => {
    let error: unknown;
    try {
      new Template(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).reason).toBe(reason);
    expect((error as TemplateError).message).toBe(`${reason} at position ${position} of the template`);
  });
});

// beets' own parser tests (test/util/test_functemplate.py of beetbox/beets at 07f39c5): a delimiter that
// opens nothing is kept as it is; `$` escapes `$`, `%`, `,` and `}`. Not here: an unknown function, or an
// unclosed call, which beets leaves as text and Sleeve says is wrong (above).
describe("text as beets' parser keeps it", () => {
  test.each([
    ['hello world', 'hello world'],
    ['$$', '$'],
    ['a $$ b', 'a $ b'],
    ['$$ hello', '$ hello'],
    ['hello $$', 'hello $'],
    ['a $% b', 'a % b'],
    ['a $, b', 'a , b'],
    ['a $} b', 'a } b'],
    ['a $ b', 'a $ b'],
    ['a % b', 'a % b'],
    ['a { b', 'a { b'],
    ['a } b', 'a } b'],
    ['a , b', 'a , b'],
    ['$foo', 'bar'],
    ['hello $foo world', 'hello bar world'],
    ['hello${foo}world', 'hellobarworld'],
    ['a ${ b', 'a ${ b'],
    ['a ${} b', 'a ${} b'],
    ['foo %bar', 'foo %bar'],
    ['foo %bar baz', 'foo %bar baz'],
    ['%lower{FOO}', 'foo'],
    ['A %lower{FOO} B', 'A foo B'],
    ['%lower{%lower{FOO}}', 'foo'],
    ['%lower{$baz}', 'bar'],
    ['%lower', '%lower'],
    ['hello, %lower{BAR}', 'hello, bar'],
    ['hello,$foo,$foo', 'hello,bar,bar'],
    ['foo\n', 'foo\n'],
    ['%upper{bar$,baz}', 'BAR,BAZ'],
    ['%upper{bar$}baz}', 'BAR}BAZ'],
    ['100%', '100%'],
  ])('%j', (source, expected) => {
    const values: Record<string, string> = { foo: 'bar', baz: 'BaR' };
    expect(new Template(source).render((field) => values[field])).toBe(expected);
  });
});
