// The e2e project's setup: the app's page built once for the run (each file used to build its own, a
// few seconds each) and one Debian Chromium that every e2e file connects to, each in a browser context of
// its own. Never `playwright install`: the browser is /usr/bin/chromium.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildRenderer } from '../app/server/renderer-build.ts';
import { CHROMIUM_OPTIONS } from './fixtures/browser.ts';
import { tempFolder } from './fixtures/temp-dir.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string;
    chromiumEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = tempFolder(tmpdir(), 'sleeve-e2e-');
  const rendererDir = join(dir, 'dist');
  const [server] = await Promise.all([chromium.launchServer(CHROMIUM_OPTIONS), buildRenderer(rendererDir)]);
  project.provide('rendererDir', rendererDir);
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
