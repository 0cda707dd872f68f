// The name of the file that makes a folder an index (manifest.ts reads and writes it), apart from its
// schema: what only asks whether an index is there (a scan's grouping) need not load the validator.
export const MANIFEST_FILE = 'manifest.json';
