// The app's fields: Picard's tags (declared once in field-table.ts, with their names in every tag format),
// the file's properties, album-level and date fields. Pure module: shared by the CLI, the backend and the
// renderer.
import { beetsTimeText } from './beets-time.ts';
import { statusOf } from './damage.ts';
import { FIELD_TABLE, type FieldKind } from './field-table.ts';
import { discsSaid } from './track-numbers.ts';

export interface FieldInfo {
  readonly name: string;
  readonly kind: FieldKind;
  readonly multi: boolean;
  /** Shown as a list, a value a line (the field table's `list`). */
  readonly list: boolean;
  readonly label: string;
}

/** The field table's rows the app offers (those with a label), in its order. */
export const TAG_FIELDS: readonly FieldInfo[] = Object.entries(FIELD_TABLE).flatMap(([name, row]) =>
  row.label === undefined
    ? []
    : [{ name, kind: row.kind, multi: row.multi === true, list: row.list === true, label: row.label }],
);

/** The fields the tag editor lists first, and a spreadsheet export holds unless others are named. */
export const EDITOR_FIELDS: readonly string[] = [
  'title',
  'artist',
  'album',
  'albumartist',
  'tracknumber',
  'totaltracks',
  'discnumber',
  'totaldiscs',
  'date',
  'genre',
  'composer',
  'comment',
];

/** The fields whose library values the editor suggests as the user types (the field table's `suggest`),
 *  each with the field holding its sort name, if any. */
export const SUGGESTED_FIELDS: ReadonlyMap<string, string | undefined> = new Map(
  Object.entries(FIELD_TABLE).flatMap(([name, row]) => (row.suggest ? [[name, row.sortedAs] as const] : [])),
);

/** Most values one field holds in an edit or a proposal: more than any credit list (a choir's 500
 *  members, each a performer), a bound all the same. */
export const MAX_FIELD_VALUES = 1000;

const BY_NAME: ReadonlyMap<string, FieldInfo> = new Map(TAG_FIELDS.map((f) => [f.name, f]));

export function isKnownTagField(name: string): boolean {
  return BY_NAME.has(name);
}

/** A file's facts besides its tags (a library row), as the properties below read them. */
export interface FileFacts {
  readonly id: number;
  readonly path: string;
  readonly format: string | null;
  readonly codec: string | null;
  readonly status: string;
  readonly error: string | null;
  /** The scan's warnings, joined by "; ". */
  readonly warning: string | null;
  /** Seconds. */
  readonly duration: number | null;
  /** Bits per second. */
  readonly bitrate: number | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly bitDepth: number | null;
  readonly size: number;
  /** When the library first found it, ms since the epoch ($added); absent where a row does not read it. */
  readonly addedAt?: number;
  /** Its modification time as last scanned, ms since the epoch ($mtime). */
  readonly mtimeMs?: number;
}

interface Property {
  /** Numeric ones compare and sort as numbers in queries. */
  readonly kind: 'number' | 'text';
  /** The text a template shows (`ls -f`, a mount path); `date` is the file's first date tag. */
  readonly text: (file: FileFacts, date: string | undefined) => string | null;
}

const numberText = (n: number | null) => (n === null ? null : String(n));

/**
 * File properties: what queries, `ls -f` and mount templates name besides tags, declared once (query-sql.ts
 * maps each to its column). `bitrate` is in kbps, as the table shows it; `duration` shows as m:ss.
 */
export const PROPERTY_FIELDS = {
  id: { kind: 'number', text: (f) => String(f.id) },
  path: { kind: 'text', text: (f) => f.path },
  format: { kind: 'text', text: (f) => f.format },
  codec: { kind: 'text', text: (f) => f.codec },
  status: { kind: 'text', text: statusOf },
  warning: { kind: 'text', text: (f) => f.warning },
  error: { kind: 'text', text: (f) => f.error },
  duration: { kind: 'number', text: (f) => (f.duration === null ? null : formatDuration(f.duration)) },
  bitrate: {
    kind: 'number',
    text: (f) => (f.bitrate === null ? null : String(Math.round(f.bitrate / 1000))),
  },
  samplerate: { kind: 'number', text: (f) => numberText(f.sampleRate) },
  channels: { kind: 'number', text: (f) => numberText(f.channels) },
  bitdepth: { kind: 'number', text: (f) => numberText(f.bitDepth) },
  size: { kind: 'number', text: (f) => String(f.size) },
  year: { kind: 'number', text: (_, date) => yearOf(date) },
} as const satisfies Record<string, Property>;

/** A date's year as `$year` shows it: its first four digits in a row ("2004-05-01", "c. 2004"). */
export function yearOf(date: string | undefined): string | null {
  return date === undefined ? null : (/\d{4}/.exec(date)?.[0] ?? null);
}

export type PropertyField = keyof typeof PROPERTY_FIELDS;

export function isPropertyField(name: string): name is PropertyField {
  return Object.hasOwn(PROPERTY_FIELDS, name);
}

/** A property as a template shows it (null: the file has no such value). */
export function propertyText(name: PropertyField, file: FileFacts, date: string | undefined): string | null {
  const property: Property = PROPERTY_FIELDS[name];
  return property.text(file, date);
}

/**
 * Album-level fields: one value for every track of an album, derived in the library from the album's
 * tracks (app/core/library/album-years.ts), so a template puts an album in one folder even where its tracks'
 * own values differ. An album is a tile of the album grid (album artist, else first artist, and album).
 * `albumyear`: the earliest year among the album's tracks (its first release; a track dated later is a
 * reissue's or a bonus track's); none for a track on no album. `albumunique`: what tells the track's
 * release from the album's others (by MusicBrainz release id) as beets' %aunique{} tells them, its
 * release type, year, label or catalog number; none while the album is one release. `singletonunique`:
 * what tells a track on no album from the other such tracks of its artist and title (each recording once),
 * as beets' %sunique{} tells them, its year, else its recording's lowest file id; none while it is the
 * only one. `multidisc`: 1 when the album has more than one disc — a track of it numbered past disc 1, or
 * tagged with more than one disc in all — else 0 (beets' documented `multidisc` inline field, which its
 * users write as `%if{$multidisc,$disc-}`), so an album tagged "disc 1" alone takes no disc prefix while
 * both discs of a set do, the tracks of disc 1 that carry no total too; none off an album.
 */
export const ALBUM_FIELDS = {
  albumyear: { kind: 'number', label: 'Album year' },
  albumunique: { kind: 'text', label: 'Album disambiguation' },
  singletonunique: { kind: 'text', label: 'Singleton disambiguation' },
  multidisc: { kind: 'number', label: 'Multi-disc album' },
} as const satisfies Record<string, { kind: 'number' | 'text'; label: string }>;

export type AlbumField = keyof typeof ALBUM_FIELDS;

export function isAlbumField(name: string): name is AlbumField {
  return Object.hasOwn(ALBUM_FIELDS, name);
}

/**
 * A track's album year as templates show it: none off an album; else its album's as the library derived it
 * (`derived`: '' when no track of the album has a year), or — not derived yet (`derived` null or undefined:
 * a file the scan just read) — its own year, what its album's is while it is the album's only track known.
 */
export function albumYearText(
  onAlbum: boolean,
  derived: string | null | undefined,
  date: string | undefined,
): string | null {
  if (!onAlbum) return null;
  if (derived === null || derived === undefined) return yearOf(date);
  return derived === '' ? null : derived;
}

/** A file's album's values as the library derived them (app/core/library/album-years.ts), which the
 *  album-level fields show; null or undefined: not derived (yet) or not read. */
export interface AlbumValues {
  /** albumYearText's `derived`. */
  readonly albumYear?: string | null;
  /** What tells its release from the album's others ('' or none: nothing). */
  readonly albumUnique?: string | null;
  /** On no album: what tells it from other tracks of its artist and title ('' or none: nothing). */
  readonly singletonUnique?: string | null;
  /** How many discs its album's tracks say it has (track-numbers.ts: discsSaid), 0 when none says. */
  readonly albumDiscs?: number | null;
}

/** The derived album values of a row that holds them among its other columns (derivedAlbumColumns'). */
export const albumValuesOf = ({
  albumYear,
  albumUnique,
  singletonUnique,
  albumDiscs,
}: AlbumValues): AlbumValues => ({
  albumYear,
  albumUnique,
  singletonUnique,
  albumDiscs,
});

/** A track's `multidisc` as templates show it: none off an album; else whether its album has more than
 *  one disc as the library derived it, or — not derived yet — as the track's own numbers say. */
export function multiDiscText(
  onAlbum: boolean,
  derived: number | null | undefined,
  first: (key: string) => string | undefined,
): string | null {
  if (!onAlbum) return null;
  const discs = derived ?? discsSaid(first('discnumber'), first('totaldiscs'));
  return discs > 1 ? '1' : '0';
}

/**
 * A field of the file rather than of its tags — a property, a file date, an album-level field — as a
 * template shows it (`ls -f`, a path): its text, null when the file has none; undefined when `name` is a
 * tag's. `first`: the file's first value of a tag; `album`: its album's derived values, asked only for
 * their fields.
 */
export function fileFieldText(
  name: string,
  file: FileFacts,
  first: (key: string) => string | undefined,
  onAlbum: boolean,
  album: () => AlbumValues,
): string | null | undefined {
  if (isPropertyField(name)) return propertyText(name, file, first('date'));
  if (isDateField(name)) return dateFieldText(name, file);
  if (name === 'albumyear') return albumYearText(onAlbum, album().albumYear, first('date'));
  if (name === 'multidisc') return multiDiscText(onAlbum, album().albumDiscs, first);
  if (name === 'albumunique') return album().albumUnique || null;
  if (name === 'singletonunique') return album().singletonUnique || null;
  return undefined;
}

/** The field a template shows where a track has none of this one: the artist and the album artist stand
 *  in for each other, as in beets' formats (a path's `$albumartist/` of a track with only an artist). */
export const STANDS_IN: Readonly<Record<string, string>> = { albumartist: 'artist', artist: 'albumartist' };

/** beets' field names where they differ from Sleeve's (the field table's `beets`, and `length` for
 *  `duration`), each with Sleeve's name. None is a name Sleeve knows otherwise. */
export const BEETS_FIELD_NAMES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(FIELD_TABLE).flatMap(([name, row]) => (row.beets ? [[row.beets, name] as const] : [])),
  ['length', 'duration'],
]);

/** A field's name as Sleeve knows it, a beets user's (`track`, `comp`, `length`) read as Sleeve's: one
 *  vocabulary for queries, templates and a beets config's paths. `name` in lower case. */
export const sleeveFieldName = (name: string): string => BEETS_FIELD_NAMES.get(name) ?? name;

/**
 * Dates of a file rather than of its tags, which queries name as beets does: `added`, when the library
 * first found the file (kept through moves and rescans), and `mtime`, the file's modification time as
 * last scanned. A year, month, day or time, or a range of them, in local time (query.ts): `added:2026-11`,
 * `mtime:2026-01..2026-06`. In templates as beets shows them, "2026-11-29 20:35:48" in local time, which
 * %time{$added,%Y} writes anew (beets-time.ts).
 */
export const DATE_FIELDS = { added: 'Added', mtime: 'Modified' } as const;

export type DateField = keyof typeof DATE_FIELDS;

export function isDateField(name: string): name is DateField {
  return Object.hasOwn(DATE_FIELDS, name);
}

/** A file date as a template shows it (beets' time format, local time); null when the row has none. */
export function dateFieldText(name: DateField, file: FileFacts): string | null {
  const ms = name === 'added' ? file.addedAt : file.mtimeMs;
  return ms === undefined || ms === null ? null : beetsTimeText(ms);
}

/**
 * Where a file's audio came from, as measured (core/fingerprint/copy-rank.ts, core/audio/lossy-cut.ts), in
 * queries and sorts only: `transcodedfrom`, the id of the lossy copy of its recording the file was made
 * from (a FLAC or a 320 kbps MP3 made from a 112 kbps Vorbis file), or whose decode differs from it by an
 * encoder's noise alone (it holds nothing more); `lossycut`, where the audio of a
 * lossless (or 256 kbps and up) file stops as a lossy encoder's low-pass does (kHz), lossy copy beside it
 * or not. `transcodedfrom:` or `lossycut:` lists them, `^lossycut:` the rest.
 */
export const SOURCE_FIELDS = { transcodedfrom: 'Transcoded from', lossycut: 'Lossy cut (kHz)' } as const;

export type SourceField = keyof typeof SOURCE_FIELDS;

/** The source fields derived from a recording's other copies (the others are the file's own measure). */
export const FROM_OTHER_COPIES: ReadonlySet<string> = new Set<SourceField>(['transcodedfrom']);

export function isSourceField(name: string): name is SourceField {
  return Object.hasOwn(SOURCE_FIELDS, name);
}

/** Why a field Sleeve knows but keeps no tag of cannot be edited, and what to edit instead (with `value`,
 *  the one given, where it says how); undefined for any other name (a tag, or no field at all). */
export function notATag(name: string, value?: string): string | undefined {
  const field = sleeveFieldName(name);
  if (field === ('year' satisfies PropertyField)) {
    const year = value !== undefined && /^\d{4}$/.test(value) ? value : '2004';
    return `"${name}" is read from the date: set date=${year} (or a whole date, date=${year}-05-01)`;
  }
  if (isPropertyField(field) || isDateField(field))
    return `"${name}" is what Sleeve reads of the file, not a tag: it cannot be set`;
  if (isAlbumField(field))
    return `"${name}" is worked out from the album's tracks, not a tag: it cannot be set`;
  if (isSourceField(field))
    return `"${name}" is worked out from the recording's other copies, not a tag: it cannot be set`;
  return undefined;
}

/** Every field Sleeve knows, Picard's, the properties and the album-level ones: what a query or a template
 *  may name without a file having it. */
export const KNOWN_FIELDS: readonly string[] = [
  ...TAG_FIELDS.map((f) => f.name),
  ...Object.keys(PROPERTY_FIELDS),
  ...Object.keys(ALBUM_FIELDS),
];

export function isKnownField(name: string): boolean {
  return isKnownTagField(name) || isPropertyField(name) || isAlbumField(name);
}

/** Fields whose tag values sort and compare numerically. */
export function isNumericField(name: string): boolean {
  if (isSourceField(name)) return true;
  if (isPropertyField(name)) return PROPERTY_FIELDS[name].kind === 'number';
  if (isAlbumField(name)) return ALBUM_FIELDS[name].kind === 'number';
  const kind = BY_NAME.get(name)?.kind;
  return kind === 'integer' || kind === 'count' || kind === 'number';
}

/** Whether a tag field holds a flag, 1 or 0 (a compilation). */
export const isFlagField = (name: string): boolean => BY_NAME.get(name)?.kind === 'flag';

/** The words beets reads as a flag's value (dbcore's Boolean, str2bool: `comp:true`, `modify comp=yes`),
 *  and their opposites, as the 1 or 0 a file holds; any other word is undefined (beets reads it as false,
 *  Sleeve refuses it). */
const FLAG_WORDS: ReadonlyMap<string, '1' | '0'> = new Map([
  ...['1', 'true', 't', 'yes', 'y', 'on'].map((w) => [w, '1'] as const),
  ...['0', 'false', 'f', 'no', 'n', 'off'].map((w) => [w, '0'] as const),
]);
export const flagValue = (word: string): '1' | '0' | undefined => FLAG_WORDS.get(word.toLowerCase());

/** A frequency in Hz as "16.71 kHz", "44.1 kHz". */
export const formatKHz = (hz: number) =>
  `${(hz / 1000).toLocaleString('en', { maximumFractionDigits: 2 })} kHz`;

/** "3:07", or "1:02:03" from an hour. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A MusicBrainz or AcoustID identifier: a UUID in lowercase hex, as both services write them. Checked where
 * the services' answers enter (an id reaches tags, the library's cache and the next request's URL), not by
 * validateFieldValue: taggers write these fields too, and a file saved as ID3v2.3 joins an artist's ids
 * with "/" (Picard's option), which an edit or a save through the mount must still accept.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** YYYY, YYYY-MM or YYYY-MM-DD, a day followed by a time as ID3v2.4's timestamps allow (THH, THH:MM,
 *  THH:MM:SS): a file a tagger dated so is read, and must be saved back through the mount as it is. */
const DATE_RE =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d)?)?)?)?)?$/;

/** A YYYY-MM-DD past its month's last day (2020-02-30, 2021-02-29, 2024-04-31) is no date. */
function dayProblem(name: string, value: string): string | undefined {
  if (value.length < 10) return undefined;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= last ? undefined : `${name}: ${value} is not a day (that month has ${last} days)`;
}
const INT_RE = /^[1-9]\d{0,5}$/;

/** A YYYY-MM… whose month or day is out of every calendar's range: which part, in words. */
function datePartProblem(name: string, value: string): string | undefined {
  const parts = /^\d{4}-(\d\d)(?:-(\d\d))?/.exec(value);
  if (!parts) return undefined;
  const [, month, day] = parts as unknown as [string, string, string | undefined];
  if (Number(month) < 1 || Number(month) > 12) return `${name}: ${month} in ${value} is not a month (01–12)`;
  if (day !== undefined && (Number(day) < 1 || Number(day) > 31))
    return `${name}: ${day} in ${value} is not a day (01–31)`;
  return undefined;
}

/** The longest value a field holds, in characters: the same for an edit from the CLI, the app, a spreadsheet
 *  or a tagger's save (the app's requests are checked against it too). */
export const MAX_VALUE_CHARS = 1_000_000;

/** Checks one value for a tag field; returns a reason when it is not acceptable. */
export function validateFieldValue(name: string, value: string): string | undefined {
  if (value.includes('\0')) return `${name}: values cannot contain NUL characters`;
  if (value.length > MAX_VALUE_CHARS)
    return `${name}: a value of ${value.length.toLocaleString('en')} characters is longer than the ${MAX_VALUE_CHARS.toLocaleString('en')} a field holds`;
  const info = BY_NAME.get(name);
  if (!info) return undefined;
  if (value === '' && info.kind !== 'text' && info.kind !== 'id' && info.kind !== 'count')
    return `${name} cannot be empty: clear the field to remove it (sleeve set --clear ${name})`;
  switch (info.kind) {
    case 'count':
      return undefined; // read as taggers write them, or kept as text (track-numbers.ts: storedNumbers)
    case 'integer':
      return INT_RE.test(value) ? undefined : `${name} must be a positive whole number, got "${value}"`;
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value))
        ? undefined
        : `${name} must be a number, got "${value}"`;
    case 'date':
      if (!DATE_RE.test(value))
        return datePartProblem(name, value) ?? `${name} must be YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`;
      return dayProblem(name, value);
    case 'flag':
      return value === '0' || value === '1'
        ? undefined
        : `${name} must be 1 or 0 (or true or false, yes or no), got "${value}"`;
    default:
      return undefined;
  }
}

/** Valid tag key for arbitrary (non-Picard) fields: Vorbis-comment-safe printable ASCII. */
export function isValidTagKey(name: string): boolean {
  return /^[\x20-\x3c\x3e-\x7e]{1,64}$/.test(name) && name.trim() === name;
}
