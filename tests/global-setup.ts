// Generates the fixture library once per run (≈1 s) into .cache; tests copy it before changing anything.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeFixtureLibrary } from './fixtures/library.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureRoot: string;
  }
}

// Bump when library.ts changes what it generates.
const FIXTURE_VERSION = 2;

export default function setup(project: TestProject): void {
  const root = join(process.cwd(), '.cache', `fixtures-v${FIXTURE_VERSION}`);
  if (!existsSync(root)) {
    const tmp = `${root}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    makeFixtureLibrary(tmp);
    renameSync(tmp, root);
  }
  project.provide('fixtureRoot', root);
}
