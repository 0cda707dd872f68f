// Which files the app sends to import: a spreadsheet's format by its name's ending (as `sleeve import`
// reads it), and files past what an import reads refused with their size.
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../app/shared/rpc-contract.ts';
import { formatOfName } from '../../app/shared/text-formats.ts';
import { refusedFile } from '../../renderer/src/import-file.ts';

describe('files the app imports', () => {
  it('reads the format from the ending, in any case', () => {
    expect(formatOfName('Abbey Road.CSV')).toBe('csv');
    expect(formatOfName('tags.tsv')).toBe('tsv');
    expect(formatOfName('export.json')).toBe('json');
    expect(formatOfName('tags.xlsx')).toBeUndefined();
    expect(formatOfName('csv')).toBeUndefined();
  });

  it('refuses another format and a file past the limit, saying why', () => {
    expect(refusedFile({ name: 'tags.csv', size: MAX_IMPORT_BYTES })).toBeNull();
    expect(refusedFile({ name: 'tags.xlsx', size: 10 })).toBe('tags.xlsx: choose a .csv, .tsv or .json file');
    expect(refusedFile({ name: 'big.csv', size: 600 * 1024 * 1024 })).toBe(
      'big.csv is 600.0 MiB: a CSV import reads up to 512.0 MiB',
    );
    // JSON is read whole: less of it.
    expect(refusedFile({ name: 'big.json', size: 100 * 1024 * 1024 })).toBe(
      'big.json is 100.0 MiB: a JSON import reads up to 64.0 MiB',
    );
  });
});
