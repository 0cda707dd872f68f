// Sleeve's version, from package.json: what `sleeve --version` prints and what web services are told.
import { readFileSync } from 'node:fs';

export const SLEEVE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
