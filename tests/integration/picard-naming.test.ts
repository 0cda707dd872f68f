// A Picard file naming script as the mount's layout names each track as Picard's own code names it
// (Debian's picard: its script_to_filename, default settings): Picard's default naming script and a
// community-style one with initials, padding and sort names, over tracks with slashes in values, several
// artists, many discs and missing fields; then every preset naming script Picard ships. Sleeve's names are
// then made safe for every filesystem (":", a leading "." that hides a file): Picard's are compared so made.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pathSource } from '../../app/core/served/path-source.ts';
import { PathTemplate, sanitizeComponent } from '../../app/core/served/path-template.ts';
import { picardScriptFile } from '../../app/shared/tagger-script/script-file.ts';
import { fileFacts } from '../fixtures/file-facts.ts';
import { PY } from '../mount-helpers.ts';

const PICARD_NAMER = new URL('../fixtures/picard-name.py', import.meta.url).pathname;

/** Picard's DEFAULT_FILE_NAMING_FORMAT (picard/const/defaults.py). */
const PICARD_DEFAULT =
  '$if2(%albumartist%,%artist%)/\n$if(%albumartist%,%album%/,)\n' +
  '$if($gt(%totaldiscs%,1),$if($gt(%totaldiscs%,9),$num(%discnumber%,2),%discnumber%)-,)' +
  '$if($and(%albumartist%,%tracknumber%),$num(%tracknumber%,2) ,)$if(%_multiartist%,%artist% - ,)%title%';

/** As community scripts go: a letter folder, the sort name, the year, padded numbers, title case. */
const COMMUNITY = `$noop( By first letter of the sort name )
$set(_letter,$firstalphachar($if2(%albumartistsort%,%artistsort%,%albumartist%,%artist%)))
%_letter%/$if2(%albumartistsort%,%albumartist%,%artist%)/
$if(%date%,[$left(%date%,4)] )$if2(%album%,Singles)/
$if($gt(%totaldiscs%,1),CD%discnumber%/)
$num(%tracknumber%,3) - $truncate($title(%title%),40)`;

const TRACKS: Array<Record<string, string[]>> = [
  {
    albumartist: ['AC/DC'],
    album: ['Back in Black'],
    tracknumber: ['1'],
    totaldiscs: ['2'],
    discnumber: ['1'],
    title: ['Hells Bells'],
    date: ['1980-07-25'],
  },
  { artist: ['Solo'], title: ['Loose'] },
  {
    albumartist: ['The Beatles'],
    albumartistsort: ['Beatles, The'],
    album: ['Abbey Road'],
    tracknumber: ['7'],
    title: ['here comes the sun'],
    date: ['1969'],
  },
  {
    artist: ['Anne', 'Ben'],
    album: ['Duets'],
    tracknumber: ['12'],
    totaldiscs: ['11'],
    discnumber: ['3'],
    title: ['Two Voices'],
  },
  {
    albumartist: ['Björk'],
    album: ['Homogenic'],
    tracknumber: ['3'],
    title: ['Unravel'],
    artistsort: ['Bjork'],
  },
  { title: ['Only A Title'] },
];

const FACTS = fileFacts('/music/x/track.flac', { bitrate: 128_000 });

/** Each track's name by Picard's own code. */
function picardNames(script: string, tracks = TRACKS): string[] {
  const names = JSON.parse(
    execFileSync(PY, [PICARD_NAMER], { input: JSON.stringify({ script, tracks }), encoding: 'utf8' }),
  ) as string[];
  // An empty folder name ("a//b", "/b") is no folder where Picard moves the file: the path joins over it.
  // Each name then made safe as Sleeve makes every name (a leading "." that would hide the file, ":"…).
  return names.map((n) =>
    n
      .split('/')
      .filter((part) => part !== '')
      .map((part) => sanitizeComponent(part, 255))
      .join('/'),
  );
}

/** Each track's name as the mount lays it out under the script (its extension left out, as Picard's). */
function sleeveNames(script: string, tracks = TRACKS): string[] {
  const template = new PathTemplate(`picard:${script}`);
  return tracks.map((tags) =>
    template
      .components(pathSource(FACTS, Object.entries(tags)))
      .join('/')
      .replace(/\.flac$/, ''),
  );
}

describe('a Picard naming script as the mount layout', () => {
  it.each([
    ['Picard’s default naming script', PICARD_DEFAULT],
    ['a community-style script', COMMUNITY],
  ])('%s names each track as Picard does', (_, script) => {
    expect(sleeveNames(script)).toEqual(picardNames(script));
  });

  it('names each track as Picard does with every naming script Picard ships as a preset', () => {
    const presets = JSON.parse(
      execFileSync(PY, [PICARD_NAMER, '--presets'], { encoding: 'utf8' }),
    ) as string[];
    expect(presets).toHaveLength(3);
    expect(presets[0]).toBe(PICARD_DEFAULT);
    for (const script of presets) {
      expect(sleeveNames(script)).toEqual(picardNames(script));
    }
  });

  it("names each of Picard's release countries as Picard does, and a code it has not as nothing", () => {
    const codes = JSON.parse(
      execFileSync(PY, [PICARD_NAMER, '--countries'], { encoding: 'utf8' }),
    ) as string[];
    expect(codes.length).toBeGreaterThan(250);
    // Its case and the blanks around it ignored; a code of no country, or none, names none.
    const asked = [...codes, 'gb', ' xw ', 'ZZ', 'GBR', ''];
    const tracks = asked.map((code) => ({ releasecountry: [code], title: ['t'] }));
    const script = '$countryname(%releasecountry%) - $countryname(%releasecountry%,yes) - %title%';
    const names = sleeveNames(script, tracks);
    expect(names).toEqual(picardNames(script, tracks));
    expect(names.slice(-5)).toEqual([
      'United Kingdom - United Kingdom - t',
      '[Worldwide] - [Worldwide] - t',
      '_  - t',
      '_  - t',
      '_  - t',
    ]);
  });

  it('reads only the fields the script names', () => {
    expect(new PathTemplate(`picard:${PICARD_DEFAULT}`).tagKeys().sort()).toEqual(
      ['album', 'albumartist', 'artist', 'discnumber', 'title', 'totaldiscs', 'tracknumber'].sort(),
    );
  });

  it("reads a script from the package Picard's script editor exports (.ptsp), and from its text (.pts)", () => {
    const exported = execFileSync(PY, [PICARD_NAMER, '--package'], { input: COMMUNITY, encoding: 'utf8' });
    expect(exported).toMatch(/^title: Exported\n/);
    expect(sleeveNames(picardScriptFile('/tmp/Letters.ptsp', exported))).toEqual(picardNames(COMMUNITY));
    expect(picardScriptFile('/tmp/letters.pts', COMMUNITY)).toBe(COMMUNITY);
    expect(() => picardScriptFile('x.PTSP', 'title: t\nauthor: a\n')).toThrow(
      'x.PTSP is a Picard script package without a script (its "script:" key)',
    );
    expect(() => picardScriptFile('x.ptsp', 'script: "unclosed')).toThrow(
      /^x\.ptsp is not a Picard script package: /,
    );
    // Read as PyYAML, which Picard writes them with, reads them: `y` and `0o17` are text there.
    expect(picardScriptFile('y.ptsp', 'script: y\n')).toBe('y');
    expect(picardScriptFile('o.ptsp', 'script: 0o17\n')).toBe('0o17');
  });

  it('refuses a script that does not parse, saying where', () => {
    expect(() => new PathTemplate('picard:$if(%artist%,x')).toThrow(
      /the naming script: 1:15: Unexpected end of script/,
    );
  });
});
