// The manifest names an index's file segments and the version they cover (the checkpoint). It is replaced
// atomically, so after a crash an index is exactly the last manifest plus the log records after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFileAtomically } from '../kit/fs-durable.ts';
import { IndexError } from './errors.ts';
import { MANIFEST_FILE } from './manifest-file.ts';

const ManifestSchema = z.strictObject({
  format: z.literal(1),
  generation: z.number().int().nonnegative(),
  checkpointVersion: z.number().int().nonnegative(),
  segments: z.array(
    z.strictObject({
      file: z.string().regex(/^[\w.-]+\.seg$/),
      minVersion: z.number().int().nonnegative(),
      maxVersion: z.number().int().nonnegative(),
    }),
  ),
});

export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new IndexError('CorruptManifest', `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return ManifestSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new IndexError('CorruptManifest', `${path} is not a valid manifest: ${(err as Error).message}`);
  }
}

export function writeManifest(dir: string, manifest: Manifest): void {
  replaceFileAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`);
}
