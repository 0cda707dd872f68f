// The field table (app/shared/field-table.ts), row by row: each format the mount writes serves a field
// under the name its row declares (or the format's default for a row that names none), and Sleeve's own
// parsers read what was served back as the field; a name is listed once per format. Which names real taggers write is
// tests/unit/tag-names.test.ts.
import { describe, expect, it } from 'vitest';
import { readApeTag } from '../../app/core/media/apev2-reader.ts';
import { bufferWindow } from '../../app/core/media/file-window.ts';
import { findIlst } from '../../app/core/media/mp4-boxes.ts';
import { readIlst } from '../../app/core/media/mp4-ilst.ts';
import type { Mp4Kept } from '../../app/core/media/mp4-layout.ts';
import { buildApeTag } from '../../app/core/served/apev2-writer.ts';
import { buildId3Header } from '../../app/core/served/id3v2-writer.ts';
import { buildIffHeader } from '../../app/core/served/iff-header.ts';
import { buildMp4Moov } from '../../app/core/served/mp4-header.ts';
import { vorbisCommentBody, vorbisFields } from '../../app/core/served/vorbis-comment-writer.ts';
import { parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { readRiffInfo } from '../../app/core/tags/iff-text.ts';
import type { NativeTag, NativeTags } from '../../app/core/tags/native.ts';
import { normalizeTags, type TagList } from '../../app/core/tags/normalize.ts';
import { parseVorbisComment } from '../../app/core/tags/vorbis-comment.ts';
import { FIELD_TABLE, type FieldKind, type FieldRow } from '../../app/shared/field-table.ts';
import { NUMBER_TOTALS } from '../../app/shared/track-numbers.ts';

const ROWS = Object.entries(FIELD_TABLE);
const TOTALS: ReadonlyMap<string, string> = new Map(Object.entries(NUMBER_TOTALS).map(([n, t]) => [t, n]));

/** A value each writer holds as the field's own (a number where an atom or frame holds a number). */
const VALUES: Record<FieldKind, string> = {
  text: 'Some text',
  id: '0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01',
  count: '3',
  integer: '2004',
  number: '120',
  date: '2004-05-17',
  flag: '1',
};
const sample = (row: FieldRow) => (row.id3?.startsWith('W') ? 'https://example.org/' : VALUES[row.kind]);

/**
 * What is served for `field` alone, a total with its number (the formats that join them write no total
 * apart from its number): the tags given and, per format, the names the served tag holds.
 */
function served(field: string, row: FieldRow) {
  const number = TOTALS.get(field);
  const tags: TagList = [[field, [sample(row)]]];
  if (number !== undefined) tags.unshift([number, ['2']]);
  return { tags, formats: serve(tags) };
}

const moov = Buffer.from([0, 0, 0, 8, ...Buffer.from('moov')]);
const kept: Mp4Kept = { moov: [0, 8, 8], udta: null, meta: null, moovFirst: true, co32: false };

/** Each format's served tag as its parser reports it. */
function serve(tags: TagList): Record<string, NativeTags> {
  const vorbis = parseVorbisComment(vorbisCommentBody('v', vorbisFields(tags))).tags;
  const id3 = parseId3v2(buildId3Header({ tags, pictures: [], audioBytes: 0 }, []));
  const mp4 = buildMp4Moov({ kept, tags, pictures: [], audioBytes: 0 }, moov, 0, []);
  const ape = buildApeTag({ tags, pictures: [] }, []);
  const wav = buildIffHeader(
    { form: 'RIFF', kept: 0, tags, pictures: [], audioBytes: 0 },
    { formType: 'WAVE', kept: Buffer.alloc(0) },
    [],
  );
  // RIFF, size, WAVE, then the LIST chunk (if any item was written): LIST, size, INFO, the items.
  const info = wav.toString('latin1', 12, 16) === 'LIST' ? wav.subarray(24, 20 + wav.readUInt32LE(16)) : null;
  return {
    vorbis: { vorbis: vorbis },
    id3: { [id3.type]: id3.tags },
    mp4: { iTunes: readIlst(bufferWindow(mp4), findIlst(bufferWindow(mp4))!).tags },
    ape: { APEv2: readApeTag(bufferWindow(ape), ape.length).tags },
    riff: { exif: info ? readRiffInfo(info, undefined) : [] },
  };
}

/** Tags by lower-cased key: the library compares keys in any case. */
const byKey = (tags: TagList) => Object.fromEntries(tags.map(([k, v]) => [k.toLowerCase(), v]));

/** The name a native tag is served under, as the table writes it (`UFID:owner`, `TIPL:role`, `----:name`). */
function nameOf(tag: NativeTag): string {
  const value = tag.value as { owner_identifier?: string; role?: string };
  if (tag.id === 'UFID') return `UFID:${value.owner_identifier}`;
  if (tag.id === 'TIPL') return `TIPL:${value.role}`;
  return tag.id.replace(/^----:com\.apple\.iTunes:/, '----:');
}

/** The name each format's writer must serve `field` under: its row's, else the format's default. */
function expectedNames(field: string, row: FieldRow): Record<string, string | null> {
  return {
    vorbis: row.vorbis ?? field.toUpperCase(),
    id3: row.id3 ?? `TXXX:${field}`,
    mp4: row.mp4 ?? `----:${field.toUpperCase()}`,
    ape: row.ape ?? field.toUpperCase(),
    riff: row.riff ?? null,
  };
}

describe.each(ROWS)('%s', (field, row) => {
  const { tags, formats } = served(field, row);
  const joined = TOTALS.has(field);

  it.each(Object.keys(formats))('%s: served under its name, read back as the field', (format) => {
    const native = formats[format]!;
    const names = Object.values(native).flatMap((list) => list.map(nameOf));
    const expected = expectedNames(field, row)[format]!;
    // A total follows its number in a Vorbis comment; elsewhere it is the number's "n/N".
    if (joined && format === 'vorbis') expect(names.at(-1)).toBe(expected);
    else if (!joined) expect(names).toEqual(expected === null ? [] : [expected]);
    if (expected !== null) expect(byKey(normalizeTags(native))).toEqual(byKey(tags));
  });
});

/** Every name a format's rows give, folded as the format compares names. */
const NAMES_BY_FORMAT: Record<string, (row: FieldRow) => ReadonlyArray<string | undefined>> = {
  'key=value (Vorbis, and any APEv2, TXXX or freeform name)': (r) => [
    r.vorbis?.toLowerCase(),
    ...(r.alsoRead?.keyValue ?? []).map((n) => n.toLowerCase()),
  ],
  'ID3 frames': (r) => [r.id3?.includes(':') ? undefined : r.id3, r.id3v23, r.id3v22],
  'ID3 TXXX': (r) => [r.id3?.startsWith('TXXX:') ? r.id3.toLowerCase() : undefined],
  'ID3 TIPL roles': (r) => [r.id3?.startsWith('TIPL:') ? r.id3.toLowerCase() : undefined],
  'MP4 atoms': (r) => [r.mp4?.startsWith('----:') ? undefined : r.mp4, ...(r.alsoRead?.mp4 ?? [])],
  'MP4 freeform': (r) => [r.mp4?.startsWith('----:') ? r.mp4.toLowerCase() : undefined],
  APEv2: (r) => [r.ape?.toLowerCase()],
  'RIFF INFO and AIFF': (r) => [r.riff, ...(r.alsoRead?.iff ?? [])],
  ID3v1: (r) => [r.id3v1],
};

it.each(Object.entries(NAMES_BY_FORMAT))('%s: each name is listed once, for one field', (_, names) => {
  const fields = new Map<string, string[]>();
  for (const [field, row] of ROWS)
    for (const name of names(row))
      if (name !== undefined) fields.set(name, [...(fields.get(name) ?? []), field]);
  expect([...fields].filter(([, of]) => of.length > 1)).toEqual([]);
});
