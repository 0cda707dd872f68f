// A Picard script from the file Picard exports it to, naming and tagging scripts alike: a script package
// (`.ptsp`: YAML holding its title, author, version… and the script under `script:`, what Picard's script
// editors export), else the script's own text (`.pts`, or any other file).
import { UserError } from '../../../kit/user-error.ts';
import { parsePyYaml } from '../pyyaml.ts';

export function picardScriptFile(fileName: string, text: string): string {
  if (!fileName.toLowerCase().endsWith('.ptsp')) return text;
  let doc: unknown;
  try {
    doc = parsePyYaml(text); // Picard writes its packages with PyYAML
  } catch (err) {
    throw new UserError(
      'bad_request',
      `${fileName} is not a Picard script package: ${(err as Error).message}`,
    );
  }
  const script = (doc as { script?: unknown } | null)?.script;
  if (typeof script !== 'string')
    throw new UserError(
      'bad_request',
      `${fileName} is a Picard script package without a script (its "script:" key)`,
    );
  return script;
}
