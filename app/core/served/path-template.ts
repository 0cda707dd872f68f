// The mount's path templates: the shared template language (app/shared/template.ts) rendered with
// path semantics — fallbacks for missing fields, zero-padded track numbers, `/` only from the template —
// and each path component sanitized for every filesystem a library might be copied to.

import { cutToBytes } from '../../../kit/utf8-cut.ts';
import { whenNeeded } from '../../../kit/when-needed.ts';
import { fileFieldText, isAlbumField, isDateField, isPropertyField, STANDS_IN } from '../../shared/fields.ts';
import { BEETS_PATHS, PICARD_SCRIPT } from '../../shared/layout-kinds.ts';
import { Template } from '../../shared/template.ts';
import { paddedNumber, readNumber } from '../../shared/track-numbers.ts';
import { UNKNOWN_ALBUM, UNKNOWN_ARTIST } from '../../shared/unknown-names.ts';
import { RENDER_HELPERS } from './asciify.ts';
import type { BeetsPaths } from './beets-paths.ts';
import type { PathSource } from './path-source.ts';
import type { PicardNaming } from './picard-naming.ts';

/** One folder per album: its year is the album's ($albumyear, the same for all its tracks), not each track's;
 *  a disc prefix only on an album of more than one disc ($multidisc: not "1-01" for an album tagged disc 1). */
export const DEFAULT_TEMPLATE =
  '$albumartist/$album%if{$albumyear, ($albumyear)}/%ifdef{tracknumber,%if{$multidisc,%if{$discnumber,$discnumber-}}$tracknumber }$title';

/** How a multi-valued field reads in a path, and what %first splits on (as in beets). */
const SEPARATOR = '; ';
/** Room kept in a file name for a collision suffix such as " (12)". */
const SUFFIX_ROOM = 8;
const MAX_NAME_BYTES = 255;
/** Folder names remembered per template: an album's tracks share theirs (a bound, not a cache policy). */
const FOLDER_MEMO_LIMIT = 50_000;

/** Picard's and beets' naming, loaded only for a layout of theirs: every scan records paths by the default
 *  template, and its threads do without their ~20 modules (the tagger-script language, beets' queries and
 *  rules). */
const picardModule = whenNeeded<typeof import('./picard-naming.ts')>(import.meta.url, './picard-naming.ts');
const beetsModule = whenNeeded<typeof import('./beets-paths.ts')>(import.meta.url, './beets-paths.ts');

/** What names the tracks: Sleeve's template, a Picard naming script or beets' path formats. */
type Naming =
  | { readonly kind: 'template'; readonly template: Template }
  | { readonly kind: 'picard'; readonly script: PicardNaming }
  | { readonly kind: 'beets'; readonly layout: BeetsPaths };

/** A parsed path template; an invalid one throws TemplateError with the position. */
export class PathTemplate {
  readonly #source: string;
  readonly #naming: Naming;
  /** Rendered folder text → its sanitized name: sanitized once per album, and one string shared by its
   *  tracks' paths (the mount holds every path). */
  readonly #folders = new Map<string, string>();

  constructor(source = DEFAULT_TEMPLATE) {
    this.#source = source;
    this.#naming = source.startsWith(PICARD_SCRIPT)
      ? { kind: 'picard', script: new (picardModule().PicardNaming)(source.slice(PICARD_SCRIPT.length)) }
      : source.startsWith(BEETS_PATHS)
        ? { kind: 'beets', layout: new (beetsModule().BeetsPaths)(source.slice(BEETS_PATHS.length)) }
        : { kind: 'template', template: new Template(source) };
  }

  /** The templates a track's path may be rendered by (none for a naming script). */
  #templates(): Template[] {
    const naming = this.#naming;
    if (naming.kind === 'picard') return [];
    return naming.kind === 'beets' ? naming.layout.templates() : [naming.template];
  }

  get source(): string {
    return this.#source;
  }

  /** The fields the template names, as written (a naming script's are its own to read: none checked). */
  fieldNames(): Set<string> {
    return new Set(this.#templates().flatMap((t) => [...t.fields()]));
  }

  /** The album-level fields it names (lower case): what of its album's derived values a path needs. */
  albumFields(): Set<string> {
    return new Set([...this.fieldNames()].map((f) => f.toLowerCase()).filter(isAlbumField));
  }

  /** Whether the layout shows field `name` itself, whatever the files hold: a field beets shows its own
   *  way, under a beets config's layout (beets-fields.ts). */
  showsItself(name: string): boolean {
    return this.#naming.kind === 'beets' && this.#naming.layout.shownReads(name.toLowerCase()) !== undefined;
  }

  /** The fields %ifdef asks about (a field no track has is no mistake there). */
  probed(): Set<string> {
    return new Set(this.#templates().flatMap((t) => [...t.probed()]));
  }

  /** The tag keys (lower case) `components` may read: a path needs only these of a file's tags. */
  tagKeys(): string[] {
    const naming = this.#naming;
    if (naming.kind === 'picard') return naming.script.tagKeys();
    const keys = new Set<string>();
    const beets = naming.kind === 'beets' ? naming.layout : undefined;
    // beets' formats are picked by queries, which read tags too.
    for (const key of beets?.queryKeys() ?? []) keys.add(key);
    for (const field of [...this.fieldNames(), ...this.probed()]) {
      const name = field.toLowerCase();
      const own = beets?.shownReads(name);
      for (const key of own ?? FIELD_KEYS[name] ?? (isPropertyField(name) || isDateField(name) ? [] : [name]))
        keys.add(key);
    }
    return [...keys];
  }

  /** The track's path as sanitized components; the last is the file name, extension included. */
  components(track: PathSource): string[] {
    const layout = this.#naming.kind === 'beets' ? this.#naming.layout : undefined;
    const rendered = this.#rendered(track, layout);
    const parts = (layout ? layout.parts(rendered, track.extension) : rendered.split('/')).filter(
      (p) => p.trim() !== '',
    );
    if (parts.length === 0) parts.push(track.stem);
    const last = parts.length - 1;
    return parts.map((part, i) =>
      i < last
        ? this.#folder(part)
        : sanitizeComponent(part, MAX_NAME_BYTES - SUFFIX_ROOM - utf8Length(track.extension)) +
          track.extension,
    );
  }

  #rendered(track: PathSource, layout: BeetsPaths | undefined): string {
    const naming = this.#naming;
    if (naming.kind === 'picard') return naming.script.render(track.tags, track.facts);
    const template = naming.kind === 'beets' ? naming.layout.pick(track) : naming.template;
    // beets' fields hold one value each (its mediafile reads the first): a beets layout names by that.
    return template.render(
      (name) => pathField(track, name.toLowerCase(), layout),
      SEPARATOR,
      layout?.helpers ?? RENDER_HELPERS,
    );
  }

  #folder(part: string): string {
    let name = this.#folders.get(part);
    if (name === undefined) {
      if (this.#folders.size >= FOLDER_MEMO_LIMIT) this.#folders.clear();
      name = sanitizeComponent(part, MAX_NAME_BYTES);
      this.#folders.set(part, name);
    }
    return name;
  }
}

/** The tags pathField reads for a field other than the field's own name (a property reads none). */
const FIELD_KEYS: Record<string, readonly string[]> = {
  ...Object.fromEntries(Object.entries(STANDS_IN).map(([name, other]) => [name, [name, other]])),
  year: ['date'],
  albumyear: ['album', 'date'],
  multidisc: ['album', 'discnumber', 'totaldiscs'],
  albumunique: [],
  singletonunique: [],
  tracknumber: ['tracknumber', 'totaltracks'],
};

/** A field as a path shows it (tagKeys lists what it reads): every value, or under a beets layout the
 *  first; a value's own `/` becomes `_` (a beets layout's `path_sep_replace`), so only the template makes
 *  directories. */
function pathField(track: PathSource, name: string, beets?: BeetsPaths): string {
  const firstOnly = beets !== undefined;
  const first = (key: string): string | undefined => track.tags.get(key)?.find((v) => v.trim() !== '');
  const sep = beets?.sepReplace ?? '_';
  const asBeets = beets?.shown(name, track.facts, first);
  if (asBeets !== undefined) return asBeets.replaceAll('/', sep);
  const all = (key: string): string | undefined => {
    if (firstOnly) return first(key);
    const values = track.tags.get(key)?.filter((v) => v.trim() !== '');
    return values?.length ? values.join(SEPARATOR) : undefined;
  };
  let value: string | undefined;
  switch (name) {
    case 'albumartist':
    case 'artist':
      value = all(name) ?? all(STANDS_IN[name]!) ?? UNKNOWN_ARTIST;
      break;
    case 'album':
      value = all('album') ?? UNKNOWN_ALBUM;
      break;
    case 'title':
      value = all('title') ?? track.stem;
      break;
    case 'tracknumber':
      value = padNumber(first('tracknumber'), first('totaltracks'));
      break;
    case 'discnumber': {
      const disc = first('discnumber');
      value = disc === undefined ? undefined : (readNumber(disc)?.number ?? disc.trim());
      break;
    }
    default: {
      // A property, a file date or an album's value (null: the file has none), else a tag.
      const own = fileFieldText(name, track.facts, first, first('album') !== undefined, () => track);
      value = own === undefined ? all(name) : (own ?? undefined);
    }
  }
  return (value ?? '').replaceAll('/', sep);
}

/** "3" → "03", or as many digits as the total needs ("003" of 120); other text stays as it is. */
function padNumber(value: string | undefined, total: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const width = Math.max(2, readNumber(total ?? '')?.number?.length ?? 0);
  return paddedNumber(value.trim(), width);
}

const utf8Length = (s: string): number => Buffer.byteLength(s);

/**
 * What a name is to a file system that ignores case and Unicode normalisation (APFS, NTFS, exFAT, FAT, SMB):
 * two names with the same key are one name there. Coarser than any of them (full case mappings there and
 * back, so ß, ẞ and SS or ς and σ are one; canonical decomposition), so names whose keys differ can sit
 * side by side everywhere.
 */
export function nameKey(name: string): string {
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) >= 0x80) return name.toLowerCase().toUpperCase().toLowerCase().normalize('NFD');
  }
  return name.toLowerCase(); // ASCII (most names): lower case is the whole fold
}

/** Windows refuses these names, with any extension and in any case (CON, con.flac, LPT1 …). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\.|$)/i;

/**
 * One path component safe everywhere the library may be exported or copied (Samba, FAT and exFAT players,
 * a shell): beets' default replacements (`<>:"?*|\` and a leading `.` or `-` become `_`), no control
 * characters (C0 or C1) and no bidirectional overrides (which make a name read as another), no trailing
 * dots or spaces (Windows and SMB drop them), no Windows device name, at most `maxBytes` of UTF-8 cut at a
 * character boundary, never empty.
 */
export function sanitizeComponent(text: string, maxBytes: number): string {
  let s = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f/\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"?*|\\]/g, '_')
    .trim();
  if (s.startsWith('.') || s.startsWith('-')) s = `_${s.slice(1)}`;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  s = cutToBytes(s, maxBytes).replace(/[. ]+$/, '');
  return s === '' ? '_' : s;
}
