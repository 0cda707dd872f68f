// TaggerScript against Picard's own expectations: every case of its test/test_script.py whose script,
// result and context are written as literals (tests/fixtures/picard-script/extract.py reads them) runs
// through Sleeve's parser and evaluator and must give Picard's result — but the functions left out on
// purpose (functions.ts says which and why), whose cases are counted, not run.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesByIds } from '../../app/core/library/list.ts';
import { planTool } from '../../app/core/library/tag-tools/tag-tool.ts';
import { toolTracks } from '../../app/core/library/tag-tools/tool-tracks.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { localMoment } from '../../app/shared/c-strftime.ts';
import { ScriptContext } from '../../app/shared/tagger-script/context.ts';
import { runScript } from '../../app/shared/tagger-script/evaluate.ts';
import { pyRegex, pySub } from '../../app/shared/tagger-script/py-regex.ts';
import { trackScriptContext } from '../../app/shared/tagger-script/track-context.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';
import { sleeveHere } from '../helpers.ts';

interface Case {
  test: string;
  script: string;
  expected: string;
  /** The fields the test set, in order, since the last script on the same object. */
  set: Array<[string, string[]]>;
  /** The test's Metadata object this script runs on (earlier scripts' changes kept), or null: a new one. */
  shared: string | null;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/picard-script/cases.json', import.meta.url), 'utf8'),
) as { commit: string; cases: Case[] };

/** Functions left out, by design: their cases are not run. */
const LEFT_OUT = ['matchedtracks', 'is_complete'];
/** Tests of Picard's plugin API (functions a test registers), not of the language. */
const PLUGIN_API = /^ScriptParserTest\.test_script_function_decorator/;
/** A country's name translated as Picard's test fakes its translations (into Russian): Sleeve's is English. */
const FAKED_TRANSLATION = (c: Case) =>
  c.script.startsWith('$countryname(') && /[^\x20-\x7e]/.test(c.expected);
const leftOut = (c: Case) =>
  PLUGIN_API.test(c.test) || FAKED_TRANSLATION(c) || LEFT_OUT.some((name) => c.script.includes(`$${name}(`));

/** The time test_cmd_datetime gives Picard: 2020-01-02 12:34:56.000789 in a zone "TZ Test" at +02:00. */
const PICARD_TEST_CLOCK = () => ({
  moment: localMoment(new Date(2020, 0, 2, 12, 34, 56)),
  micro: 789,
  zone: { offsetMinutes: 120, name: 'TZ Test' },
});

/** A case's context, made as it runs: a test's shared one carries what earlier scripts set, and what
 *  the test set since (as Picard's Metadata object does); none shared: a new one. */
function contextMaker(): (c: Case) => ScriptContext {
  const live = new Map<string, ScriptContext>();
  return (c) => {
    const id = `${c.test}/${c.shared}`;
    const context = (c.shared !== null && live.get(id)) || new ScriptContext();
    if (c.shared !== null) live.set(id, context);
    for (const [key, values] of c.set) context.set(key, values);
    return context;
  };
}

describe(`TaggerScript, against Picard's test_script.py (${fixture.commit.slice(0, 10)})`, () => {
  const run = fixture.cases.filter((c) => !leftOut(c));
  const contextOf = contextMaker();

  // In the file's order: a test's scripts change the context the next ones see; $datetime's clock is the
  // one Picard's test fakes.
  it.each(run.map((c, i) => [`${c.test} #${i}: ${c.script.slice(0, 60)}`, c] as const))('%s', (_, c) => {
    expect(runScript(c.script, contextOf(c), PICARD_TEST_CLOCK)).toBe(c.expected);
  });

  it('runs every case but those of the plugin API and of the functions left out', () => {
    // 796 read: 7 of the plugin API; $countryname translated by a fake 2, $matchedtracks 1, $is_complete 1.
    expect([fixture.cases.length, run.length]).toEqual([796, 785]);
  });
});

describe("Python's regular expressions", () => {
  it('match as Python 3.11 matched them: words and digits of every script, in sets too, a "]" first in a set, \\A and \\Z', () => {
    // [pattern, text, re.sub(pattern, 'X', text) as Python gave it]
    const cases: Array<[string, string, string]> = [
      [String.raw`\w+`, 'Björk Guðmundsdóttir', 'X X'],
      [String.raw`\bG\w`, 'Björk Guðmundsdóttir', 'Björk Xðmundsdóttir'],
      [String.raw`[\w-]+`, 'Émile-Zoë x', 'X X'],
      [String.raw`\d`, '٣ 3', 'X X'],
      [String.raw`\W`, 'ö-ü', 'öXü'],
      ['[]a]', 'a]b', 'XXb'],
      ['[^]a]', 'a]b', 'a]X'],
      [String.raw`\Aa|b\Z`, 'ab', 'XX'],
      ['(?P<x>a)(?P=x)', 'aa b', 'X b'],
      [String.raw`[\[]`, '[x', 'Xx'],
      [String.raw`\\w`, String.raw`\w w`, 'X w'],
      // Any punctuation escaped, braces that are no quantifier, {,n}, leading flags, comments.
      [String.raw`\-`, 'a-b', 'aXb'],
      [String.raw`(?i)feat\.`, 'x FEAT. y', 'x X y'],
      ['x{,3}', 'xxxxx', 'XXX'],
      ['a{', 'a{b', 'Xb'],
      ['}', 'a}b', 'aXb'],
      [String.raw`\:\&\'`, "a:&'b", 'aXb'],
      ['(?#c)b', 'abc', 'aXc'],
      [String.raw`[\D]+`, '12ab34', '12X34'],
      [String.raw`(?a)\w+`, 'Björk', 'XöX'],
      // \W in a set: JavaScript's sets hold only ASCII's.
      [String.raw`[\W_]+`, 'a_b c—d', 'aXbXcXd'],
      [String.raw`[^\W\d]+`, 'ab12é_ z', 'X12X X'],
      [String.raw`[^a\W]`, 'Ana b!é', 'XXa X!X'],
      [String.raw`[]\W]`, 'a]é!', 'aXéX'],
      // \B never in an empty text.
      [String.raw`\B`, '', ''],
      [String.raw`\B`, ' ', 'X X'],
      [String.raw`\B`, 'ab', 'aXb'],
      [String.raw`\B`, 'a', 'a'],
    ];
    expect(cases.map(([p, text]) => pySub(pyRegex(p)!, 'X', text))).toEqual(cases.map((c) => c[2]));
    expect(runScript(String.raw`$rreplace(Björk Guðmundsdóttir,\\w+,X)`)).toBe('X X');
  });
});

describe('dates and the clock as Picard writes them on Linux', () => {
  it("writes $dateformat's codes as datetime's strftime does there: glibc's, its own %f, %z and %Z", () => {
    // Python 3.11 on Debian: date(5, 1, 2).strftime('%Y|%e|%Q|%f|%z|%Z|%%f|%s') with TZ=UTC.
    expect(runScript(String.raw`$dateformat(0005-01-02,\%Y|\%e|\%Q|\%f|\%z|\%Z|\%\%f)`)).toBe(
      '5| 2|%Q|000000|||%f',
    );
    expect(runScript(String.raw`$dateformat(2020-01-02,\%A \%-d \%B \%Y \%I \%p)`)).toBe(
      'Thursday 2 January 2020 12 AM',
    );
    // Years before 100 as they are (ISO weeks too); the century unpadded.
    expect(runScript(String.raw`$dateformat(0005-03-04,\%G|\%C|\%V|\%j|\%U|\%a)`)).toBe('5|0|09|063|09|Fri');
    expect(runScript(String.raw`$dateformat(0950-01-01,\%C|\%G)`)).toBe('9|950');
    expect(runScript(String.raw`$dateformat(0050-01-01,\%G|\%V)`)).toBe('49|52');
  });

  it('writes the time now with $datetime, by default as Picard does', () => {
    const before = new Date();
    const [date, time] = runScript('$datetime()').split(' ');
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(Math.abs(new Date(`${date}T${time}`).getTime() - before.getTime())).toBeLessThan(60_000);
    expect(runScript(String.raw`$datetime(\%z)`)).toMatch(/^[+-]\d{4}$/);
  });

  it('refuses $datetime in a naming script, where a name made from the clock would move the file', () => {
    expect(() => new PathTemplate('picard:%album%/$if(%title%,$datetime())')).toThrow(
      'the naming script: 1:21:$datetime: a name made from the clock would change each time the mount lays out its files',
    );
  });
});

describe('a track as a script sees it', () => {
  it('gives its fields, performers by role and the file as hidden variables; the CLI runs it per track', () => {
    const { db, ids } = taggedLibrary([
      {
        path: '/music/Quartet/01 Allegro.flac',
        tags: {
          title: ['Allegro'],
          artist: ['The Quartet'],
          performer: ['Anne (violin)', 'Ben (cello)', 'Cy (violin)'],
        },
      },
    ]);
    const item = filesByIds(db, ids)[0]!;
    const run = (script: string) => runScript(script, trackScriptContext(Object.entries(item.tags), item));
    expect(run('$performer(violin)')).toBe('Anne, Cy');
    expect(run('$swapprefix(%artist%) - %title%.%_extension% (%_length%)')).toBe(
      'Quartet, The - Allegro.flac (3:00)',
    );
    expect(run('$set(genre,Chamber)%genre%')).toBe('Chamber');
    const home = dirname(db.name);
    db.close();
    const r = sleeveHere(home, ['script', '$upper(%title%)', 'allegro']);
    expect(r.stdout).toBe(`${ids[0]}  ALLEGRO\n`);
    const bad = sleeveHere(home, ['script', '$upper(%title%']);
    expect([bad.status, bad.stderr.trim()]).toEqual([1, 'sleeve: script: 1:15: Unexpected end of script']);
  });
});

describe('a tagging script as a tag tool', () => {
  it('plans the fields its $set, $unset and $delete leave changed, hidden ones never, performers as kept', () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['one'], artist: ['The Band'], comment: ['old'] } },
      { path: '/music/b.flac', tags: { title: ['two'], artist: ['Solo'], performer: ['Anne (violin)'] } },
    ]);
    const plan = planTool(db, toolTracks(db, ids, false), {
      kind: 'script',
      script:
        '$set(title,$title(%title%))$set(albumartist,$swapprefix(%artist%))$unset(comment)$set(_n,1)$copy(performer:viola,performer:violin)',
    });
    const shown = plan.changes.map(
      (c) => `${c.fileId} ${c.key}: ${c.before.join('|')} → ${c.after.join('|')}`,
    );
    expect(shown.sort()).toEqual(
      [
        `${ids[0]} title: one → One`,
        `${ids[0]} albumartist:  → Band, The`,
        `${ids[0]} comment: old → `,
        `${ids[1]} title: two → Two`,
        `${ids[1]} albumartist:  → Solo`,
        `${ids[1]} performer: Anne (violin) → Anne (violin)|Anne (viola)`,
      ].sort(),
    );
    expect(plan.skipped).toEqual([]);
    expect(() => planTool(db, toolTracks(db, ids, false), { kind: 'script', script: '$set(x' })).toThrow(
      /the script: 1:7: Unexpected end of script/,
    );
  });
});
