// docs/field-names.md, made from the field table (app/shared/field-table.ts), so the names a reader looks
// up are the ones the code uses: `npm run docs` fails when the page is not what the table makes, and
// `node tests/field-names-doc.ts --write` writes it again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIELD_TABLE, type FieldRow } from '../app/shared/field-table.ts';
import { NUMBER_TOTALS } from '../app/shared/track-numbers.ts';

/** A total's number field (totaltracks: tracknumber): formats that pair them write `n/N` there. */
const NUMBER_OF = new Map<string, string>(
  Object.entries(NUMBER_TOTALS).map(([number, total]) => [total, number]),
);

const cell = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;

/** A row's name in each written format: its own, or the format's default for a key no row names. */
function names(field: string, row: FieldRow): string[] {
  const upper = field.toUpperCase();
  const number = NUMBER_OF.get(field);
  if (number) {
    const n = FIELD_TABLE[number]!;
    const paired = (name: string | undefined) => `${cell(name!)} (n/N)`;
    return [cell(row.vorbis ?? upper), paired(n.id3), paired(n.mp4), paired(n.ape), '—'];
  }
  return [
    cell(row.vorbis ?? upper),
    cell(row.id3 ?? `TXXX:${field}`) + (row.id3v23 ? ` (v2.3: ${cell(row.id3v23)})` : ''),
    cell(row.mp4 ?? `----:${upper}`),
    cell(row.ape ?? upper),
    row.riff ? cell(row.riff) : '—',
  ];
}

export function fieldNamesPage(): string {
  const rows = Object.entries(FIELD_TABLE).map(
    ([field, row]) =>
      `| ${cell(field)}${row.multi ? ' (several)' : ''} | ${row.label ?? '—'} | ${names(field, row).join(' | ')} |`,
  );
  return [
    '# Field names in every tag format',
    '',
    'Made from the field table (`app/shared/field-table.ts`) by `node tests/field-names-doc.ts --write`;',
    '`npm run docs` fails when it is not current. Each field as the mount writes it; the names read besides',
    "(ID3v2.2 and v1, other taggers' spellings) are in the table, and how each format holds them in",
    "[tag formats](tag-formats.md). `----:X` is MP4's freeform atom `----:com.apple.iTunes:X`; a WAV's",
    'ID3 chunk holds every field, its INFO list only those named.',
    '',
    '| field | in the app | Vorbis comment | ID3v2.4 | MP4 | APEv2 | RIFF INFO |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.main) {
  const file = join(resolve(import.meta.dirname, '..'), 'docs', 'field-names.md');
  if (process.argv.includes('--write')) writeFileSync(file, fieldNamesPage());
  else if (readFileSync(file, 'utf8') !== fieldNamesPage()) {
    console.error(
      'docs/field-names.md is not what the field table makes: node tests/field-names-doc.ts --write',
    );
    process.exit(1);
  }
}
