// Native tags (as music-metadata reports them) → Picard's internal names (docs/tag-formats.md: Picard's field
// names). Known fields are renamed; unknown keys are kept verbatim (Vorbis keys lower-cased, as Picard does).
import type { ICommonTagsResult } from 'music-metadata';
import { isKnownTagField } from '../../shared/fields.ts';
import { isNumberField, storedNumbers } from '../../shared/track-numbers.ts';
import type { NativeTags } from './native.ts';
import { creditOfPair } from './performer-credit.ts';
import {
  APE_FIELDS,
  FREEFORM_FIELDS,
  ID3_FIELDS,
  ID3V1_FIELDS,
  IFF_FIELDS,
  INVOLVED_ROLE_FIELDS,
  KEY_VALUE_FIELDS,
  MP4_FIELDS,
  MP4_FREEFORM_FIELDS,
  MUSICIAN_CREDITS_FIELD,
  UFID_FIELDS,
} from './tag-names.ts';

export type TagList = Array<[key: string, values: string[]]>;

const PICTURE_KEYS = new Set(['METADATA_BLOCK_PICTURE', 'COVERART', 'COVERARTMIME', 'APIC', 'PIC', 'covr']);

const ID3_SKIP = new Set([
  'TLEN',
  'TLE',
  'TSIZ',
  'TIME',
  'TRDA',
  'PRIV',
  'GEOB',
  'MCDI',
  'POPM',
  'PCNT',
  'RVA2',
  'RVAD',
  'SYLT',
  'ETCO',
]);

// WAV's RIFF INFO items (music-metadata's tag type `exif`) and AIFF's text chunks (tag-names.ts: IFF_FIELDS).
const IFF_TYPES = ['exif', 'AIFF'];

/** ID3's people lists (music-metadata names v2.3's IPLS as it is; Sleeve's reader reads it as TIPL). */
const PEOPLE_FRAMES = new Set(['TMCL', 'TIPL', 'IPLS']);

/** ID3 frames that hold a language and a description beside the text (the field table's comment, lyrics). */
const DESCRIBED_FRAMES = new Set(['COMM', 'COM', 'USLT', 'ULT']);

/**
 * Collects key → values in first-seen order; the first source to set a key owns it. Keys compare
 * case-insensitively (as Vorbis names and the library do); the first spelling seen is kept. A value a
 * source states under two names of one field (ALBUMARTIST and ALBUM ARTIST, COMMENT and DESCRIPTION, as
 * taggers that write both spellings do) is one value.
 */
class TagCollector {
  readonly #own = new Map<string, { key: string; values: string[]; names: Set<string> }>();
  readonly #claimed = new Set<string>();

  /** `name`: the name the source gave the value under (the key itself when it gave none of its own). */
  add(key: string, value: string, name: string = key): void {
    const v = value.replace(/\0+$/, '');
    if (v.trim() === '') return;
    if (!isNumberField(key)) {
      this.#put(key, v, name);
      return;
    }
    // "05/12" is track 5 of 12, as every edit stores it (track-numbers.ts); "A1" stays as it is. A number
    // a file states twice (Picard writes TRACKTOTAL and TOTALTRACKS; ffmpeg copies both into TXXX) is one.
    for (const f of storedNumbers([{ key: key.toLowerCase(), values: [v] }]).fields)
      for (const x of f.values) if (!this.#own.get(f.key)?.values.includes(x)) this.#put(f.key, x, name);
  }

  #put(key: string, v: string, name: string): void {
    const k = key.toLowerCase();
    if (this.#claimed.has(k)) return;
    const entry = this.#own.get(k);
    const from = name.toLowerCase();
    if (!entry) this.#own.set(k, { key, values: [v], names: new Set([from]) });
    else if (entry.names.has(from) || !entry.values.includes(v)) {
      entry.values.push(v);
      entry.names.add(from);
    }
  }

  /** Ends one source: keys it set are now owned and lower-priority sources cannot add to them. */
  seal(): void {
    for (const key of this.#own.keys()) this.#claimed.add(key);
  }

  result(): TagList {
    this.#yearAsDate();
    return [...this.#own.values()].map((e) => [e.key, e.values]);
  }

  /** A YEAR (beets writes one beside DATE) that states the date's year is the date's, and alone it is the
   *  date; one that says another year stays a field of its own, as any unknown key. */
  #yearAsDate(): void {
    const year = this.#own.get('year');
    if (!year) return;
    const date = this.#own.get('date');
    if (!date) {
      this.#own.delete('year');
      this.#own.set('date', { ...year, key: 'date' });
    } else if (year.values.every((y) => date.values.some((d) => d.startsWith(y)))) this.#own.delete('year');
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value === true ? 1 : value === false ? 0 : value);
  if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
    return value.text;
  return undefined;
}

function addVorbis(out: TagCollector, id: string, value: unknown): void {
  if (PICTURE_KEYS.has(id.toUpperCase())) return;
  const v = text(value);
  if (v === undefined) return;
  const lower = id.toLowerCase();
  out.add(KEY_VALUE_FIELDS.get(lower) ?? lower, v, id);
}

function describedKey(prefix: string, descriptor: unknown): string {
  return typeof descriptor === 'string' && descriptor !== '' ? `${prefix}:${descriptor}` : prefix;
}

/** The field a TXXX description or an MP4 freeform name names: Picard's spellings (`picard`, keyed in
 *  lower case), then a Vorbis comment's name or ffmpeg's (what ffmpeg writes converting a FLAC or an MP4:
 *  TXXX:TRACKTOTAL, TXXX:COMMENT, TXXX:sort_album), then a known field's name in any case; else the name as
 *  written. */
function freeformField(name: string, picard: ReadonlyMap<string, string>): string {
  const lower = name.toLowerCase();
  const known = isKnownTagField(lower) || lower.startsWith('replaygain_');
  return picard.get(lower) ?? KEY_VALUE_FIELDS.get(lower) ?? (known ? lower : name);
}

/** A people list's pairs: one `{role, name}` as Sleeve's reader gives them, or music-metadata's
 *  `{role: [names]}`. */
function peoplePairs(value: unknown): Array<[role: string, name: string]> {
  if (!value || typeof value !== 'object') return [];
  if ('role' in value && 'name' in value)
    return typeof value.role === 'string' && typeof value.name === 'string' ? [[value.role, value.name]] : [];
  return Object.entries(value).flatMap(([role, names]) =>
    Array.isArray(names)
      ? names.filter((n) => typeof n === 'string').map((n): [string, string] => [role, n])
      : [],
  );
}

/** ID3's people lists as Picard reads them: a TIPL (IPLS) role a row names is its field (producer, DJ-mix…),
 *  any other role, and every TMCL pair, a performer credit "Name (role)". */
function addPeople(out: TagCollector, frame: string, value: unknown): void {
  for (const [role, name] of peoplePairs(value)) {
    const field = frame === 'TMCL' ? undefined : INVOLVED_ROLE_FIELDS.get(role.toLowerCase());
    if (field !== undefined) out.add(field, name, frame);
    else if (MUSICIAN_CREDITS_FIELD) out.add(MUSICIAN_CREDITS_FIELD, creditOfPair(role, name), frame);
  }
}

function addId3(out: TagCollector, id: string, value: unknown, year: { tyer?: string; tdat?: string }): void {
  const [frame, desc] = id.includes(':')
    ? [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)]
    : [id, ''];
  if (frame === 'APIC' || frame === 'PIC' || ID3_SKIP.has(frame)) return;
  if (PEOPLE_FRAMES.has(frame)) addPeople(out, frame, value);
  else if (frame === 'TYER' || frame === 'TYE') year.tyer = text(value);
  else if (frame === 'TDAT' || frame === 'TDA') year.tdat = text(value);
  else if (frame === 'TXXX' || frame === 'TXX') {
    const v = text(value);
    if (v !== undefined) out.add(freeformField(desc, FREEFORM_FIELDS), v, id);
  } else if (DESCRIBED_FRAMES.has(frame)) {
    const base = ID3_FIELDS.get(frame) ?? frame;
    const descriptor =
      value && typeof value === 'object' && 'descriptor' in value ? value.descriptor : undefined;
    const v = text(value);
    if (v !== undefined) out.add(describedKey(base, descriptor), v);
  } else if (frame === 'UFID' || frame === 'UFI') {
    if (value && typeof value === 'object' && 'owner_identifier' in value && 'identifier' in value) {
      const field = UFID_FIELDS.get(String(value.owner_identifier));
      if (field && value.identifier instanceof Uint8Array) {
        out.add(field, Buffer.from(value.identifier).toString('latin1'));
      }
    }
  } else {
    const v = text(value);
    if (v !== undefined) out.add(ID3_FIELDS.get(frame) ?? id, v, frame);
  }
}

function addMp4(out: TagCollector, id: string, value: unknown): void {
  if (PICTURE_KEYS.has(id)) return;
  const v = text(value);
  if (v === undefined) return;
  if (id.startsWith('----:'))
    out.add(freeformField(id.slice(id.lastIndexOf(':') + 1), MP4_FREEFORM_FIELDS), v, id);
  else out.add(MP4_FIELDS.get(id) ?? id, v, id);
}

function addApe(out: TagCollector, id: string, value: unknown): void {
  const lower = id.toLowerCase();
  if (lower.startsWith('cover art')) return;
  const v = text(value);
  if (v === undefined) return;
  const field = APE_FIELDS.get(lower) ?? FREEFORM_FIELDS.get(lower) ?? KEY_VALUE_FIELDS.get(lower) ?? lower;
  out.add(field, v, id);
}

function addCommon(out: TagCollector, common: ICommonTagsResult): void {
  const pairs: Array<[string, unknown]> = [
    ['title', common.title],
    ['artist', common.artists ?? common.artist],
    ['album', common.album],
    ['albumartist', common.albumartist],
    ['date', common.date ?? common.year],
    ['genre', common.genre],
    ['composer', common.composer],
    ['comment', common.comment?.map((c) => c.text)],
    ['copyright', common.copyright],
  ];
  for (const [key, value] of pairs) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const s = text(v);
      if (s !== undefined) out.add(key, s);
    }
  }
  if (common.track.no) out.add('tracknumber', String(common.track.no));
  if (common.track.of) out.add('totaltracks', String(common.track.of));
  if (common.disk.no) out.add('discnumber', String(common.disk.no));
  if (common.disk.of) out.add('totaldiscs', String(common.disk.of));
}

// Which tag types win when a file carries several (e.g. ID3v2 + APEv2 + ID3v1 on one MP3).
const PRIORITY = ['vorbis', 'ID3v2.4', 'ID3v2.3', 'ID3v2.2', 'iTunes', 'APEv2'];

export function normalizeTags(native: NativeTags, common?: ICommonTagsResult): TagList {
  const out = new TagCollector();
  const types = Object.keys(native).sort((a, b) => rank(a) - rank(b));
  let sawKnown = false;
  for (const type of types) {
    if (IFF_TYPES.includes(type)) continue;
    const year: { tyer?: string; tdat?: string } = {};
    for (const tag of native[type] ?? []) {
      if (type === 'vorbis') addVorbis(out, tag.id, tag.value);
      else if (type.startsWith('ID3v2')) addId3(out, tag.id, tag.value, year);
      else if (type === 'iTunes') addMp4(out, tag.id, tag.value);
      else if (type === 'APEv2') addApe(out, tag.id, tag.value);
      else if (type === 'ID3v1') {
        const v = text(tag.value);
        const key = ID3V1_FIELDS.get(tag.id);
        if (key && v !== undefined) out.add(key, v);
      }
    }
    if (year.tyer)
      out.add(
        'date',
        year.tdat && /^\d{4}$/.test(year.tdat)
          ? `${year.tyer}-${year.tdat.slice(2)}-${year.tdat.slice(0, 2)}`
          : year.tyer,
      );
    if (PRIORITY.includes(type) || type === 'ID3v1') sawKnown = true;
    out.seal();
  }
  // WAV's and AIFF's own text tags count only when the file has no ID3 tag (as before Sleeve read them).
  if (!sawKnown) {
    for (const type of IFF_TYPES) {
      for (const tag of native[type] ?? []) {
        const key = IFF_FIELDS.get(tag.id);
        const v = text(tag.value);
        if (!key || v === undefined) continue;
        out.add(key, v, tag.id);
      }
      if (native[type]) sawKnown = true;
    }
  }
  // Containers with their own small tag sets (ASF, Matroska): music-metadata's common view.
  if (!sawKnown && common) addCommon(out, common);
  return out.result();
}

function rank(type: string): number {
  const i = PRIORITY.indexOf(type);
  if (i >= 0) return i;
  return type === 'ID3v1' ? 100 : 50;
}
