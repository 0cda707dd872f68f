// A beets config's `paths:` as the mount's layout names each track as Debian's beets names it
// (tests/fixtures/beets-destinations.py: Item.destination over the same FLAC files, read by beets' own
// mediafile): formats picked by a query on the album type and on the genre, beets' `comp` and `singleton`,
// the default; beets' field names ($track, $disc padded to two digits, $year) and a "/" in a value;
// %aunique{} telling apart two releases of one album by their years, two of one year by their labels. Then
// what Sleeve does otherwise is said at import, and what it cannot do is refused with the format named;
// the mount laid out so through FUSE.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { derivedAlbumValues } from '../../app/core/library/album-years.ts';
import { filesByIds, matchingIds } from '../../app/core/library/list.ts';
import { beetsConfigLayout } from '../../app/core/served/beets-config.ts';
import { BEETS_LAST_RESORT, BEETS_REPLACE } from '../../app/core/served/beets-legalize.ts';
import { pathSource } from '../../app/core/served/path-source.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { BEETS_PATHS } from '../../app/shared/layout-kinds.ts';
import { flacTags, makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir, tool } from '../helpers.ts';
import { PY, unmountChecked } from '../mount-helpers.ts';

const BEETS_DESTINATIONS = new URL('../fixtures/beets-destinations.py', import.meta.url).pathname;

const CONFIG = `
directory: /lib
paths:
  albumtype:soundtrack: Soundtracks/$album ($year)/$track $title
  genre:jazz -artist:bill: Jazz/$albumartist/$album%aunique{}/%if{$disc,$disc-}$track $title
  comp: Compilations/$album%aunique{}/$track $title
  singleton: Non-Album/$artist/$title
  default: $albumartist/$album%aunique{}/$track $title
`;

/** Only a default: beets' own singleton and comp formats still name those tracks. */
const ONLY_DEFAULT = `
paths:
  "comp:yes genre:pop": Pop Compilations/$album/$track $title
  default: $artist/%if{$year,$year - }$album/%if{$disc,$disc-}$track $title
`;

/** beets' aunique brackets, from its config and a format's own. */
const BRACKETS = `
aunique:
  bracket: '()'
paths:
  genre:jazz: $album%aunique{,,<>}/$title
  default: $albumartist/$album%aunique{}/$track $title
`;

/** beets' file dates, written anew by %time (a strftime format: `%Y` in it is no call). Text that is no
 *  such date Sleeve leaves as it is, where beets puts Python's error in the path (beets-time.test.ts). */
const TIMES = `
paths:
  default: $albumartist/%time{$mtime,%Y-%m %B %-d %Hh}/$title
  singleton: Non-Album/%time{$mtime,%A %j}/$title
`;

/** beets' %asciify on one field; and asciify_paths, the whole path in ASCII. */
const ASCIIFY = `
paths:
  default: "%asciify{$albumartist}/$album/$track $title"
`;
/** asciify_paths with a path_sep_replace of its own: the "/" that "⁄" is written as becomes it. */
const ASCII_SEP = `
asciify_paths: yes
path_sep_replace: +
paths:
  default: $albumartist/$album/$track $title
`;
const ASCII_PATHS = `
asciify_paths: yes
paths:
  default: $albumartist/$album/$track $title
`;

/** beets' `replace:` of a user's own, in its order: a group taken back (\1), spaces made "_", "&" written
 *  out, a leading "The_" dropped, a "-" doubled (beets applies the list twice: "----"), a "0" made "O"
 *  last (a key such as "0" keeps its place, where a JavaScript object puts it first); its own list
 *  replaces beets' defaults; a "/" in a value is "+" (path_sep_replace). */
const REPLACE = String.raw`
path_sep_replace: +
replace:
  '^(\d\d) ': '\1-'
  '\s+': _
  '&': and
  '^The_': ''
  '[<>:"\?\*\|]': _
  '-': '--'
  '0': 'O'
paths:
  default: $albumartist/$album/$track $title
  singleton: Non-Album/$artist/$title
  comp: Compilations/$album/$track $title
`;

/** Fields beets shows its own way: the format's name, the bit and sample rates scaled, the date's month
 *  and day padded, the flags as Python's bools (which %if takes as such). */
const SHOWN = `
paths:
  default: $format/$albumartist/$month-$day $album%aunique{}/$track $title ($bitrate, $samplerate, %if{$comp,C,N})
  comp: Compilations/$comp %if{$comp,yes,no}/$original_month-$original_day/$title
  singleton: Non-Album/$singleton %if{$singleton,yes,no}/$title
`;

/** Names cut to 12 bytes, as beets cuts the files it moves (the extension kept). */
const CUT = `
max_filename_length: 12
paths:
  default: $albumartist/$album/$track $title
`;

const TRACKS: Array<Record<string, string | string[]>> = [
  {
    ALBUMARTIST: 'The Beatles',
    ARTIST: 'The Beatles',
    ALBUM: 'Abbey Road',
    TRACKNUMBER: '7',
    TITLE: 'Here Comes the Sun',
    DATE: '1969',
    GENRE: 'Rock',
  },
  {
    ALBUMARTIST: 'Various Artists',
    ARTIST: 'Someone',
    ALBUM: 'Now 10',
    TRACKNUMBER: '3',
    TITLE: 'A Hit',
    COMPILATION: '1',
  },
  { ARTIST: 'Loner', TITLE: 'Alone' },
  { ALBUMARTIST: 'Loner', ARTIST: 'Loner', ALBUM: 'Demos', TITLE: 'Untitled' },
  {
    ALBUMARTIST: 'Vangelis',
    ARTIST: 'Vangelis',
    ALBUM: 'Blade Runner',
    TRACKNUMBER: '1',
    TITLE: 'Main Titles',
    DATE: '1982',
    RELEASETYPE: 'soundtrack',
  },
  {
    ALBUMARTIST: 'Miles Davis',
    ARTIST: 'Miles Davis',
    ALBUM: 'Kind of Blue',
    DISCNUMBER: '2',
    TRACKNUMBER: '4',
    TITLE: 'Flamenco Sketches',
    GENRE: 'Modal Jazz',
  },
  {
    ALBUMARTIST: 'AC/DC',
    ARTIST: 'AC/DC',
    ALBUM: 'Back in Black',
    TRACKNUMBER: '1',
    TITLE: 'Hells Bells',
    DATE: '1980-07-25',
  },
  {
    ALBUMARTIST: 'Bill Evans',
    ARTIST: 'Bill Evans',
    ALBUM: 'Waltz for Debby',
    TRACKNUMBER: '2',
    TITLE: 'Waltz for Debby',
    GENRE: 'Jazz',
  },
  // Two artists: beets' names take the first.
  {
    ARTIST: ['Anne', 'Ben'],
    ALBUMARTIST: 'Anne',
    ALBUM: 'Duets',
    TRACKNUMBER: '5',
    TITLE: 'Two Voices',
    DATE: '2001',
    GENRE: 'Pop',
    COMPILATION: '1',
  },
  // Two releases of one album (by their MusicBrainz ids), of two years; two of one year, two labels.
  ...[
    ['1981', 'EMI', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e01'],
    ['2011', 'Island', '0d4c2a37-94d5-4d0e-8d7a-0a3f2b1c5e02'],
  ].map(([date, label, id]) => ({
    ALBUMARTIST: 'Queen',
    ARTIST: 'Queen',
    ALBUM: 'Greatest Hits',
    TRACKNUMBER: '1',
    TITLE: 'Bohemian Rhapsody',
    DATE: date!,
    LABEL: label!,
    MUSICBRAINZ_ALBUMID: id!,
  })),
  ...[
    ['Polydor', '5a1e0c61-3b7e-4f55-9d44-6c2d8e9f7a01'],
    ['Polar', '5a1e0c61-3b7e-4f55-9d44-6c2d8e9f7a02'],
  ].map(([label, id]) => ({
    ALBUMARTIST: 'ABBA',
    ARTIST: 'ABBA',
    ALBUM: 'Gold',
    TRACKNUMBER: '1',
    TITLE: 'Dancing Queen',
    DATE: '1992',
    LABEL: label!,
    MUSICBRAINZ_ALBUMID: id!,
  })),
  // Names beyond ASCII: Latin letters with marks, Cyrillic.
  // A title tagged decomposed (beets names it in NFC) with a character ASCII writes as a "/" (⁄).
  { ALBUMARTIST: 'Half', ARTIST: 'Half', ALBUM: 'Fractions', TRACKNUMBER: '1', TITLE: 'One⁄Two Cafe\u0301' },
  { ALBUMARTIST: 'Björk', ARTIST: 'Björk', ALBUM: 'Homogénic', TRACKNUMBER: '3', TITLE: 'Jóga' },
  { ALBUMARTIST: 'Кино', ARTIST: 'Кино', ALBUM: 'Группа крови', TRACKNUMBER: '1', TITLE: 'Звезда' },
];

describe('a beets config as the mount layout', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const files = TRACKS.map((_, i) => join(music, `${i}.flac`));
  let before: Map<string, string>;

  beforeAll(() => {
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    writeFileSync(join(dir, 'only-default.yaml'), ONLY_DEFAULT);
    writeFileSync(join(dir, 'asciify.yaml'), ASCIIFY);
    writeFileSync(join(dir, 'ascii-paths.yaml'), ASCII_PATHS);
    mkdirSync(music, { recursive: true });
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 440, 1);
    for (const [i, tags] of TRACKS.entries())
      tool('flac', ['--silent', '-f', ...flacTags(tags), '-o', files[i]!, wav]);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
  });
  afterAll(() => expect(hashTree(music)).toEqual(before));

  /** Each track's path by beets (as it names a fragment, or `onDisk` as it moves a file) and by Sleeve. */
  const named = (config: string, file: string, onDisk = false) => {
    const beets = JSON.parse(
      execFileSync(PY, [BEETS_DESTINATIONS, ...(onDisk ? ['--on-disk'] : []), join(dir, file), ...files], {
        encoding: 'utf8',
      }),
    ) as string[];
    const { source, notes } = beetsConfigLayout(config);
    const template = new PathTemplate(source);
    const db = openDatabase(join(home, 'library.db'));
    try {
      const byPath = new Map(filesByIds(db, matchingIds(db, '', 'library')).map((f) => [f.path, f]));
      const album = derivedAlbumValues(db, template.albumFields()); // as the scan derived them
      const sleeve = files.map((path) => {
        const file = byPath.get(path)!;
        return template.components(pathSource(file, Object.entries(file.tags), album(file.id))).join('/');
      });
      return { beets, sleeve, notes };
    } finally {
      db.close();
    }
  };

  /** The names a config gives, the same through beets and through Sleeve, with nothing Sleeve does otherwise. */
  const agreed = (config: string, file: string, onDisk = false) => {
    writeFileSync(join(dir, file), config);
    const { beets, sleeve, notes } = named(config, file, onDisk);
    expect(notes).toEqual([]);
    expect(sleeve).toEqual(beets);
    return sleeve;
  };

  it('names every track as beets does', () => {
    const sleeve = agreed(CONFIG, 'config.yaml');
    expect(sleeve).toEqual([
      'The Beatles/Abbey Road/07 Here Comes the Sun.flac',
      'Compilations/Now 10/03 A Hit.flac',
      'Non-Album/Loner/Alone.flac',
      'Loner/Demos/00 Untitled.flac', // no track number: beets' 0
      'Soundtracks/Blade Runner (1982)/01 Main Titles.flac',
      'Jazz/Miles Davis/Kind of Blue/02-04 Flamenco Sketches.flac',
      'AC_DC/Back in Black/01 Hells Bells.flac',
      'Bill Evans/Waltz for Debby/02 Waltz for Debby.flac', // -artist:bill: not the jazz format
      'Compilations/Duets/05 Two Voices.flac',
      'Queen/Greatest Hits [1981]/01 Bohemian Rhapsody.flac',
      'Queen/Greatest Hits [2011]/01 Bohemian Rhapsody.flac',
      'ABBA/Gold [Polydor]/01 Dancing Queen.flac',
      'ABBA/Gold [Polar]/01 Dancing Queen.flac',
      'Half/Fractions/01 One⁄Two Café.flac',
      'Björk/Homogénic/03 Jóga.flac',
      'Кино/Группа крови/01 Звезда.flac',
    ]);
  });

  it("tells releases apart in beets' aunique brackets, the config's and a format's own", () => {
    const sleeve = agreed(BRACKETS, 'brackets.yaml');
    expect(sleeve.filter((p) => p.includes('Greatest Hits') || p.includes('Gold'))).toEqual([
      'Queen/Greatest Hits (1981)/01 Bohemian Rhapsody.flac',
      'Queen/Greatest Hits (2011)/01 Bohemian Rhapsody.flac',
      'ABBA/Gold (Polydor)/01 Dancing Queen.flac',
      'ABBA/Gold (Polar)/01 Dancing Queen.flac',
    ]);
  });

  it("writes the file's dates with %time as beets does", () => {
    const sleeve = agreed(TIMES, 'times.yaml');
    const mtime = statSync(files[0]!).mtime;
    const month = mtime.toLocaleString('en', { month: 'long' });
    expect(sleeve[0]).toBe(
      `The Beatles/${mtime.getFullYear()}-${String(mtime.getMonth() + 1).padStart(2, '0')} ${month} ${mtime.getDate()} ${String(mtime.getHours()).padStart(2, '0')}h/Here Comes the Sun.flac`,
    );
  });

  it("transliterates as beets' %asciify and asciify_paths do", () => {
    const field = named(ASCIIFY, 'asciify.yaml');
    expect(field.sleeve).toEqual(field.beets);
    expect(field.sleeve.slice(-2)).toEqual([
      'Bjork/Homogénic/03 Jóga.flac',
      'Kino/Группа крови/01 Звезда.flac',
    ]);
    const paths = named(ASCII_PATHS, 'ascii-paths.yaml');
    expect(paths.notes.join('\n')).not.toContain('asciify');
    expect(paths.sleeve).toEqual(paths.beets);
    expect(paths.sleeve.slice(-2)).toEqual([
      'Bjork/Homogenic/03 Joga.flac',
      'Kino/Gruppa krovi/01 Zvezda.flac',
    ]);
    expect(agreed(ASCII_SEP, 'ascii-sep.yaml').at(-3)).toBe('Half/Fractions/01 One+Two Cafe.flac');
    // As beets reads its config (PyYAML, then Python's truth): `n` is text, so true; `no` is false.
    for (const [value, ascii] of [
      ['n', true],
      ['no', false],
    ] as const) {
      const file = `ascii-${value}.yaml`;
      const config = ASCII_PATHS.replace('asciify_paths: yes', `asciify_paths: ${value}`);
      writeFileSync(join(dir, file), config);
      const read = named(config, file);
      expect(read.sleeve).toEqual(read.beets);
      expect(read.sleeve.at(-1)).toBe(
        ascii ? 'Kino/Gruppa krovi/01 Zvezda.flac' : 'Кино/Группа крови/01 Звезда.flac',
      );
    }
  });

  it("replaces in each part of a path as beets' own `replace:` says, in its order", () => {
    const sleeve = agreed(REPLACE, 'replace.yaml');
    expect(sleeve.slice(0, 7)).toEqual([
      'Beatles/Abbey_Road/O7----Here_Comes_the_Sun.flac',
      'Compilations/Now_1O/O3----A_Hit.flac',
      'Non----Album/Loner/Alone.flac',
      'Loner/Demos/OO----Untitled.flac',
      'Vangelis/Blade_Runner/O1----Main_Titles.flac',
      'Miles_Davis/Kind_of_Blue/O4----Flamenco_Sketches.flac',
      'AC+DC/Back_in_Black/O1----Hells_Bells.flac',
    ]);
  });

  it('shows the fields beets shows its own way as beets shows them', () => {
    const sleeve = agreed(SHOWN, 'shown.yaml');
    expect(sleeve.slice(0, 3)).toEqual([
      expect.stringMatching(
        /^FLAC\/The Beatles\/00-00 Abbey Road\/07 Here Comes the Sun \(\d+kbps, 44kHz, N\)\.flac$/,
      ),
      'Compilations/True yes/00-00/A Hit.flac',
      'Non-Album/True yes/Alone.flac',
    ]);
    expect(sleeve[6]).toMatch(/^FLAC\/AC_DC\/07-25 Back in Black\//);
  });

  it('cuts each name to max_filename_length as beets cuts a file it moves, a space left by a cut removed', () => {
    const sleeve = agreed(CUT, 'cut.yaml', true);
    expect(sleeve.filter((p) => /Beatles|Duets|Кино/.test(p))).toEqual([
      'The Beatles/Abbey Road/07 Here.flac',
      'Compilations/Duets/05 Two.flac', // "05 Two " cut, its space then replaced away
      'Кино/Группа/01 Зв.flac', // 12 bytes: six Cyrillic letters
    ]);
  });

  it("names tracks by beets' own singleton and comp formats when the config sets only a default", () => {
    const sleeve = agreed(ONLY_DEFAULT, 'only-default.yaml');
    expect(sleeve.slice(0, 4)).toEqual([
      'The Beatles/1969 - Abbey Road/07 Here Comes the Sun.flac', // no disc: "00", which %if takes as none
      'Compilations/Now 10/03 A Hit.flac',
      'Non-Album/Loner/Alone.flac',
      'Loner/Demos/00 Untitled.flac',
    ]);
  });

  it('lays the mount out so, says so in `sleeve mounts`, and serves the files there', () => {
    const mnt = join(tempDir(), 'mnt');
    const mounted = sleeveHere(home, ['mount', mnt, '--import-beets-config', join(dir, 'config.yaml')]);
    try {
      expect(mounted.stderr).toBe('');
      expect(sleeveHere(home, ['mounts']).stdout).toContain("template a beets config's path formats (5)");
      const served = readdirSync(mnt, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.flac'))
        .map((e) => join(e.parentPath, e.name).slice(mnt.length + 1))
        .sort();
      expect(served).toEqual(named(CONFIG, 'config.yaml').beets.sort());
    } finally {
      unmountChecked(home, mnt, music, before);
    }
  });

  it('mounts the fields beets shows its own way as beets names them (their tags read), a field neither knows refused', () => {
    writeFileSync(join(dir, 'shown.yaml'), SHOWN);
    const mnt = join(tempDir(), 'mnt');
    const mounted = sleeveHere(home, ['mount', mnt, '--import-beets-config', join(dir, 'shown.yaml')]);
    try {
      expect(mounted.stderr).toBe('');
      const served = readdirSync(mnt, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.flac'))
        .map((e) => join(e.parentPath, e.name).slice(mnt.length + 1))
        .sort();
      expect(served).toEqual(named(SHOWN, 'shown.yaml').beets.sort());
      expect(served).toContainEqual(expect.stringMatching(/^FLAC\/AC_DC\/07-25 Back in Black\//));
    } finally {
      unmountChecked(home, mnt, music, before);
    }
    writeFileSync(join(dir, 'foo.yaml'), 'paths:\n  default: $foo/$title\n');
    const refused = sleeveHere(home, [
      'mount',
      join(tempDir(), 'mnt'),
      '--import-beets-config',
      join(dir, 'foo.yaml'),
    ]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('the path format for "default"');
    expect(refused.stderr).toContain('unknown field $foo');
  });

  it('says what of the config Sleeve does otherwise, and refuses what it cannot do, naming the format', () => {
    // Keys and disambiguators of beets' own choosing: the layout is kept, told apart by Sleeve's.
    expect(
      beetsConfigLayout(
        'aunique:\n  disambiguators: label year\npaths:\n  default: $album%aunique{albumartist album,year}/$title\n',
      ).notes,
    ).toEqual([
      'aunique.disambiguators: not followed; Sleeve tells releases apart by release type, year, label and catalog number, in that order',
      "%aunique's own keys and disambiguators: not followed; Sleeve tells apart albums of one album artist and name by release type, year, label and catalog number",
    ]);
    // beets 2's %sunique, its brackets from the config's `sunique:` section.
    const singles = beetsConfigLayout(
      'sunique:\n  bracket: ()\npaths:\n  singleton: Non-Album/$artist/$title%sunique{artist title,year}\n',
    );
    expect(singles.notes).toEqual([]);
    expect(singles.templates[0]!.template).toMatch(/%sunique\{,,\(\)\}$/);
    const refusals: Array<[string, string]> = [
      ['paths: [a, b]', 'the beets config has no `paths:` section'],
      ['paths:\n  default: $album%bucket{$year}\n', 'the path format for "default": unknown function'],
      ['paths:\n  "added:2026": $album\n', 'the path format for "added:2026": added: is a date of the file'],
      ['paths:\n  "jazz": $album\n', 'the path format for "jazz": a word in any field: name the field'],
      ['paths:\n  "month:5": $album\n', 'the path format for "month:5": month: is no field Sleeve knows'],
      ['paths:\n  "genre:(": $album\n  default: [1]\n', 'the path format for "default" is not text'],
      ['{', 'the beets config is not YAML'],
      [
        "replace:\n  '[a-': _\npaths:\n  default: $album\n",
        '`replace:` in the beets config: "[a-" cannot be read: ',
      ],
      ['replace: [a, b]\npaths:\n  default: $album\n', '`replace:` in the beets config is not a mapping'],
      [
        'path_sep_replace: 5\npaths:\n  default: $album\n',
        '`path_sep_replace:` in the beets config is not text',
      ],
      [
        'max_filename_length: -1\npaths:\n  default: $album\n',
        '`max_filename_length:` in the beets config is not a whole number of bytes',
      ],
    ];
    // An empty replace: is beets' built-in rules (its `replacements or CHAR_REPLACE`), none its own list.
    const rules = (yaml: string) =>
      (JSON.parse(beetsConfigLayout(yaml).source.slice(BEETS_PATHS.length)) as { replace: unknown }).replace;
    expect(rules('replace: {}\npaths:\n  default: $title\n')).toEqual(BEETS_LAST_RESORT);
    expect(rules('paths:\n  default: $title\n')).toEqual(BEETS_REPLACE);
    for (const [yaml, message] of refusals)
      expect(() => beetsConfigLayout(yaml)).toThrow(
        expect.objectContaining({ message: expect.stringContaining(message) }),
      );
  });
});
