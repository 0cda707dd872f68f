// Each format's names for the fields, as the readers and the writers look them up, derived from the field
// table (app/shared/field-table.ts; docs/tag-formats.md: Picard's field names): the reader (normalize.ts)
// maps every name a row gives a field to it, the writers (app/core/served) write the field under the name
// a row gives it, so the library reads back what it serves. A key no row names is read and written under
// its own name (the table's defaults). tests/unit/tag-names.test.ts lists, per format, the keys real
// taggers write and the field each reads as.
import { FIELD_TABLE, type FieldRow } from '../../shared/field-table.ts';

const ROWS = Object.entries(FIELD_TABLE);

/** Every name `names` gives a row (folded by `key`) → its field. */
function readMap(
  names: (row: FieldRow) => ReadonlyArray<string | undefined>,
  key: (name: string) => string = (n) => n,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const [field, row] of ROWS)
    for (const name of names(row)) if (name !== undefined) map.set(key(name), field);
  return map;
}

/** Field → the name `name` gives its row, for the rows it gives one. */
function writeMap(name: (row: FieldRow) => string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const [field, row] of ROWS) {
    const written = name(row);
    if (written !== undefined) map.set(field, written);
  }
  return map;
}

const lower = (name: string) => name.toLowerCase();
/** What follows `prefix` in `name`; undefined for a name without it. */
const after = (prefix: string) => (name: string | undefined) =>
  name?.startsWith(prefix) ? name.slice(prefix.length) : undefined;
const txxx = after('TXXX:');
const ufid = after('UFID:');
const freeform = after('----:');
/** ID3v2.4's people lists, pairs of a role and a name: TMCL (musicians) and TIPL (the other people). */
const PEOPLE_FRAMES = new Set(['TMCL', 'TIPL']);
/** ID3 frames (v2.4's, v2.3's, v2.2's) that are a frame id alone, holding the field's values. */
const frameId = (name: string | undefined) =>
  name === undefined || name.includes(':') || PEOPLE_FRAMES.has(name) ? undefined : name;
const textFrame = (name: string | undefined) => {
  const id = frameId(name);
  return id !== undefined && /^T[A-Z0-9]{3}$/.test(id) ? id : undefined;
};
const involved = after('TIPL:');
const urlFrame = (name: string | undefined) => (name?.startsWith('W') ? name : undefined);
const describedFrame = (name: string | undefined) => (name === 'COMM' || name === 'USLT' ? name : undefined);
const atom = (name: string | undefined) => (name?.startsWith('----:') ? undefined : name);

/** Reading: a format's name → field (lower-cased where a format compares names case-insensitively). */
export const ID3_FIELDS = readMap((r) => [frameId(r.id3), r.id3v23, r.id3v22]);
/** TIPL's (and IPLS's) roles, lower-cased (TagLib writes them upper-cased). */
export const INVOLVED_ROLE_FIELDS = readMap((r) => [involved(r.id3)], lower);
/** TXXX descriptions. */
export const FREEFORM_FIELDS = readMap((r) => [txxx(r.id3)], lower);
/** UFID owners. */
export const UFID_FIELDS = readMap((r) => [ufid(r.id3)]);
export const ID3V1_FIELDS = readMap((r) => [r.id3v1]);
export const MP4_FREEFORM_FIELDS = readMap((r) => [freeform(r.mp4)], lower);
export const MP4_FIELDS = readMap((r) => [atom(r.mp4), ...(r.alsoRead?.mp4 ?? [])]);
export const APE_FIELDS = readMap((r) => [r.ape], lower);
export const IFF_FIELDS = readMap((r) => [r.riff, ...(r.alsoRead?.iff ?? [])]);
/** Vorbis comment names and other taggers' spellings, lower-cased: what a name in any key=value format (a
 *  Vorbis comment, an APEv2 item, a TXXX description, an MP4 freeform name) reads as when its own format's
 *  names do not include it. */
export const KEY_VALUE_FIELDS = readMap((r) => [r.vorbis, ...(r.alsoRead?.keyValue ?? [])], lower);

/** Writing: field → a format's name. ID3 text frames (T…), URL frames (W…), COMM and USLT, UFID owners. */
export const ID3_TEXT_FRAMES = writeMap((r) => textFrame(r.id3));
export const ID3_URL_FRAMES = writeMap((r) => urlFrame(r.id3));
export const ID3_DESCRIBED_FRAMES = writeMap((r) => describedFrame(r.id3));
/** Field → its role in TIPL. */
export const INVOLVED_ROLES = writeMap((r) => involved(r.id3));
/** The field TMCL holds, each value's role its own ("Name (role)": performer-credit.ts). */
export const MUSICIAN_CREDITS_FIELD = ROWS.find(([, r]) => r.id3 === 'TMCL')?.[0];
export const UFID_OWNERS = writeMap((r) => ufid(r.id3));
export const MP4_ATOMS = writeMap((r) => atom(r.mp4));
export const VORBIS_NAMES = writeMap((r) => r.vorbis);
export const APE_NAMES = writeMap((r) => r.ape);
export const RIFF_INFO_ITEMS = writeMap((r) => r.riff);
const FREEFORM_NAMES = writeMap((r) => txxx(r.id3));
const MP4_FREEFORM_NAMES = writeMap((r) => freeform(r.mp4));

/**
 * A key of a field that holds a description (Picard's `comment:description`, `lyrics:description`: ID3's
 * COMM and USLT), with its field and description; undefined for any other key.
 */
export function splitDescribed(key: string): { field: string; description: string } | undefined {
  const colon = key.indexOf(':');
  const field = (colon < 0 ? key : key.slice(0, colon)).toLowerCase();
  if (!ID3_DESCRIBED_FRAMES.has(field)) return undefined;
  return { field, description: colon < 0 ? '' : key.slice(colon + 1) };
}

/**
 * The TXXX description (`mp4`: the freeform atom name) a field is written under: Picard's spelling (other
 * players may not compare names case-insensitively as Sleeve does); ReplayGain as its readers look for it,
 * REPLAYGAIN_* in ID3 and replaygain_* in MP4 (foobar2000's and beets' spelling); any other key as it is
 * in ID3, upper-cased in MP4 (Picard's names where it has no spelling of its own: LABEL, ISRC, MOOD…).
 */
export function freeformName(key: string, format: 'id3' | 'mp4' = 'id3'): string {
  const lower = key.toLowerCase();
  const named = (format === 'mp4' ? MP4_FREEFORM_NAMES : FREEFORM_NAMES).get(lower);
  if (named !== undefined) return named;
  // A ReplayGain key the field table has no row of, spelled as its rows are.
  if (lower.startsWith('replaygain_')) return format === 'mp4' ? lower : key.toUpperCase();
  return format === 'mp4' ? key.toUpperCase() : key;
}
