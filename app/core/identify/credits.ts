// A release track's credits as Picard writes them from MusicBrainz's relationships (picard/mbjson.py, with
// its "Use track relationships" on and its other options as they come; docs/web-services.md): the release's
// own artist relationships (a DJ-mix credited on one medium only for that medium's tracks), then the
// recording's — its performers, producers, engineers, conductor, and through the works it performs each
// work's title, id and languages and the work's composers, lyricists and writers. Names are the artist as
// credited on the relationship (Picard's "standardize artist names" off), the composer's sort name beside
// it. A relationship of a type Picard does not map is left out quietly; one MusicBrainz gave without its
// artist or work, in a shape not documented, or with a name that cannot be written is left out or mended
// and said (warnings, a bounded few per release).
import { z } from 'zod';
import { controlCharacter } from '../../shared/control-characters.ts';
import { MAX_FIELD_VALUES } from '../../shared/fields.ts';
import { performerCredit } from '../tags/performer-credit.ts';
import { MBID, type MbRelease } from './musicbrainz.ts';

/** Artist relationship types → the field they credit (Picard's). */
export const FIELD_OF_TYPE: Readonly<Record<string, string>> = {
  arranger: 'arranger',
  'instrument arranger': 'arranger',
  orchestrator: 'arranger',
  'vocal arranger': 'arranger',
  audio: 'engineer',
  engineer: 'engineer',
  'live sound': 'engineer',
  sound: 'engineer',
  composer: 'composer',
  conductor: 'conductor',
  librettist: 'lyricist',
  lyricist: 'lyricist',
  'mix-DJ': 'djmixer',
  mix: 'mixer',
  producer: 'producer',
  remixer: 'remixer',
  'audio director': 'director',
  'video director': 'director',
  writer: 'writer',
};
/** Types crediting a performer in a role of their own. */
const ROLE_OF_TYPE: Readonly<Record<string, string>> = {
  'chorus master': 'chorus master',
  concertmaster: 'concertmaster',
  'performing orchestra': 'orchestra',
};
/** Types whose attributes are the performer's role, and the role when they have none. */
const ATTRIBUTED_TYPES: Readonly<Record<string, string>> = {
  instrument: 'instruments',
  vocal: 'vocals',
  performer: '',
};
/** Attributes that qualify the role rather than name it ("solo vocals", "guest piano"). */
const PREFIX_ATTRIBUTES = new Set(['guest', 'additional', 'minor', 'solo']);

/** Values a field takes from one release track: as many as an edit may hold. */
export const MAX_CREDITS = MAX_FIELD_VALUES;
/** Warnings one release's credits give; the rest are counted. */
const MAX_WARNINGS = 8;

const names = z.string().nullish();
const Alias = z.object({ name: z.string(), 'sort-name': names }).passthrough();
const Artist = z
  .object({ id: names, name: z.string(), 'sort-name': names, aliases: z.array(Alias).nullish() })
  .passthrough();
const Relation = z
  .object({
    type: z.string(),
    'target-type': z.string(),
    'target-credit': names,
    attributes: z.array(z.string()).nullish(),
    artist: z.unknown().optional(),
    work: z.unknown().optional(),
  })
  .passthrough();
const Work = z
  .object({
    id: z.string(),
    title: names,
    language: names,
    languages: z.array(z.string()).nullish(),
    relations: z.array(z.unknown()).nullish(),
  })
  .passthrough();

/** A track's credits being gathered: each field's values once, in the order met; performers by role, each
 *  role's first credit where the role first came (as Picard keeps its `performer:role` keys). */
class Credits {
  readonly #fields = new Map<string, Set<string>>();
  readonly #performers = new Map<string, Set<string>>();
  #performerCount = 0;
  readonly #problems: Problems;

  constructor(problems: Problems, from?: Credits) {
    this.#problems = problems;
    if (!from) return;
    for (const [k, v] of from.#fields) this.#fields.set(k, new Set(v));
    for (const [k, v] of from.#performers) this.#performers.set(k, new Set(v));
    this.#performerCount = from.#performerCount;
  }

  add(field: string, value: string): void {
    this.#put(this.#fields, field, field, value);
  }

  addPerformer(role: string, name: string): void {
    this.#put(this.#performers, role, 'performer', name);
  }

  #put(map: Map<string, Set<string>>, key: string, field: string, value: string): void {
    const values = map.get(key) ?? new Set();
    if (values.has(value)) return;
    const performer = map === this.#performers;
    if ((performer ? this.#performerCount : values.size) >= MAX_CREDITS) {
      this.#problems.note(`more than ${MAX_CREDITS} ${field} credits: the rest left out`);
      return;
    }
    values.add(value);
    map.set(key, values);
    if (performer) this.#performerCount++;
  }

  fields(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [field, values] of this.#fields) out[field] = [...values];
    const performers = [...this.#performers].flatMap(([role, names]) =>
      [...names].map((n) => performerCredit(n, role)),
    );
    if (performers.length > 0) out.performer = performers;
    return out;
  }
}

/** What one release's relationships gave that was left out or mended: each kind once, with its count. */
class Problems {
  readonly #counts = new Map<string, number>();
  where = '';

  note(what: string): void {
    const key = `${this.where}: ${what}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  warnings(release: string): string[] {
    const all = [...this.#counts].map(
      ([what, n]) => `MusicBrainz release ${release}, ${what}${n > 1 ? ` (${n} times)` : ''}`,
    );
    if (all.length <= MAX_WARNINGS) return all;
    return [
      ...all.slice(0, MAX_WARNINGS),
      `MusicBrainz release ${release}: ${all.length - MAX_WARNINGS} more kinds of credit left out`,
    ];
  }
}

/** A name as a tag value: control characters (a tab, a line break, a NUL, which no tag value holds)
 *  become spaces, said. */
function clean(problems: Problems, text: string, what: string): string {
  const found = controlCharacter(text);
  if (!found) return text;
  problems.note(`${what} holds control characters (${found.code}): written with spaces`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Picard's role from a relationship's attributes: the qualifiers first ("solo"), then the instruments or
 *  voices ("a, b and c"), or the type's own word when none is named ("vocals"). An instrument's case is
 *  its own ("EWI"). */
function roleOf(type: string, attributes: readonly string[]): string {
  const prefixes = attributes.filter((a) => PREFIX_ATTRIBUTES.has(a));
  const nouns = attributes.filter((a) => !PREFIX_ATTRIBUTES.has(a));
  const noun =
    nouns.length > 1
      ? `${nouns.slice(0, -1).join(', ')} and ${nouns.at(-1)}`
      : (nouns[0] ?? ATTRIBUTED_TYPES[type] ?? '');
  return [...prefixes, noun].join(' ').trim();
}

interface Context {
  readonly problems: Problems;
  readonly credits: Credits;
  /** The work performed is instrumental: no lyricist, language "zxx". */
  readonly instrumental?: boolean;
  /** Release level: the DJ-mixers credited on a medium, by its position (its tracks' alone). */
  readonly media?: Map<number, string[]>;
}

/** An artist relationship: the artist as credited, in the field or performer role its type gives. */
function artistRelation(rel: z.infer<typeof Relation>, c: Context): void {
  const parsed = Artist.safeParse(rel.artist);
  if (!parsed.success) {
    c.problems.note(
      `${rel.type} relationships ${rel.artist ? 'with an artist in a shape not documented' : 'without their artist'}: left out`,
    );
    return;
  }
  const artist = parsed.data;
  const credited = rel['target-credit'];
  const byCredit = credited && credited !== artist.name;
  const name = clean(c.problems, byCredit ? credited : artist.name, 'a credited name');
  if (name === '') {
    c.problems.note(`${rel.type} relationships whose artist has no name: left out`);
    return;
  }
  const attributes = (rel.attributes ?? []).map((a) => clean(c.problems, a, 'a role'));
  const sort = () =>
    clean(
      c.problems,
      (byCredit
        ? artist.aliases?.find((a) => a.name === credited && a['sort-name'])?.['sort-name']
        : undefined) ??
        (artist['sort-name'] || name),
      'a sort name',
    );
  if (rel.type in ATTRIBUTED_TYPES) c.credits.addPerformer(roleOf(rel.type, attributes), name);
  else if (rel.type in ROLE_OF_TYPE) c.credits.addPerformer(ROLE_OF_TYPE[rel.type]!, name);
  else if (rel.type === 'mix-DJ' && attributes.length > 0) {
    // Picard: a DJ-mix named with attributes is a medium's ("medium 2"), else nobody's.
    for (const a of attributes) {
      const medium = Number(/^medium (\d+)$/.exec(a)?.[1]);
      if (c.media && Number.isInteger(medium)) c.media.set(medium, [...(c.media.get(medium) ?? []), name]);
    }
  } else {
    const field = FIELD_OF_TYPE[rel.type];
    if (field === undefined || (field === 'lyricist' && c.instrumental)) return;
    c.credits.add(field, name);
    if (field === 'composer') c.credits.add('composersort', sort());
  }
}

/** A work the recording performs: its id, languages and title, then its own artist relationships. */
function workRelation(rel: z.infer<typeof Relation>, c: Context): void {
  if (rel.type !== 'performance') return;
  const parsed = Work.safeParse(rel.work);
  if (!parsed.success) {
    c.problems.note(
      `performance relationships ${rel.work ? 'with a work in a shape not documented' : 'without their work'}: left out`,
    );
    return;
  }
  const work = parsed.data;
  if (!MBID.test(work.id)) {
    c.problems.note(`a work whose id is not one (${JSON.stringify(work.id.slice(0, 40))}): left out`);
    return;
  }
  const instrumental = (rel.attributes ?? []).includes('instrumental');
  c.credits.add('musicbrainz_workid', work.id);
  if (instrumental) c.credits.add('language', 'zxx');
  else for (const l of work.languages ?? (work.language ? [work.language] : [])) c.credits.add('language', l);
  const title = work.title && clean(c.problems, work.title, 'a work title');
  if (title) c.credits.add('work', title);
  relations(work.relations ?? [], { ...c, instrumental });
}

function relations(list: readonly unknown[], c: Context): void {
  for (const raw of list) {
    const parsed = Relation.safeParse(raw);
    if (!parsed.success) {
      c.problems.note('relationships in a shape not documented: left out');
      continue;
    }
    const rel = parsed.data;
    if (rel['target-type'] === 'artist') artistRelation(rel, c);
    else if (rel['target-type'] === 'work') workRelation(rel, c);
  }
}

/**
 * Each of `tracks`' credits (by track id) on `release`, and what was left out or mended. A release whose
 * recordings came without relationships (MusicBrainz leaves them out of a release of many tracks) gives
 * the release's credits alone, and says so.
 */
export function releaseCredits(
  release: MbRelease,
  tracks: ReadonlySet<string>,
): { credits: Map<string, Record<string, string[]>>; warnings: string[] } {
  const problems = new Problems();
  const base = new Credits(problems);
  const media = new Map<number, string[]>();
  problems.where = 'its own relationships';
  relations(release.relations ?? [], { problems, credits: base, media });
  const out = new Map<string, Record<string, string[]>>();
  let without = 0;
  for (const medium of release.media) {
    const mediumBase = new Credits(problems, base);
    for (const name of media.get(medium.position) ?? []) mediumBase.add('djmixer', name);
    for (const track of medium.tracks) {
      if (!tracks.has(track.id)) continue;
      const recording = track.recording;
      problems.where = `recording ${recording.id}`;
      const credits = new Credits(problems, mediumBase);
      if (recording.relations === undefined) without++;
      relations(recording.relations ?? [], { problems, credits });
      for (const isrc of recording.isrcs ?? [])
        if (typeof isrc === 'string') credits.add('isrc', clean(problems, isrc, 'an ISRC'));
        else problems.note('an ISRC that is not text: left out');
      out.set(track.id, credits.fields());
    }
  }
  const warnings = problems.warnings(release.id);
  if (without > 0)
    warnings.push(
      `MusicBrainz gave ${without} recording(s) of release ${release.id} without their relationships (it leaves them out of releases of many tracks): their credits are the release's alone`,
    );
  return { credits: out, warnings };
}
