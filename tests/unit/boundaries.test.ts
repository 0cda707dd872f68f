// The layer rules themselves (.dependency-cruiser.mjs): a miniature tree with Sleeve's folders, one wrong
// import at a time, must fail with the rule's name and the import; the allowed ones must pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

/** Files every case shares: one module in each layer, importing only what its layer may. */
const ALLOWED: Record<string, string> = {
  'app/kit/helper.ts': 'export const helper = 1;',
  'app/kit/user-error.ts': 'export class UserError extends Error {}',
  'app/shared/query.ts': "import { UserError } from '../kit/user-error.ts';\nexport const q = UserError;",
  'index-engine/engine.ts': "import { helper } from '../app/kit/helper.ts';\nexport const engine = helper;",
  'app/core/home.ts': "import { q } from '../shared/query.ts';\nexport const home = q;",
  'app/core/db/database.ts': "import { home } from '../home.ts';\nexport const db = home;",
  'app/core/library/list.ts': "import { db } from '../db/database.ts';\nexport const list = db;",
  'app/core/fingerprint/groups.ts':
    "import { engine } from '../../../index-engine/engine.ts';\nexport const groups = engine;",
  'fuse/view.ts': "import { list } from '../app/core/library/list.ts';\nexport const view = list;",
  'fuse/daemon.ts': "import { view } from './view.ts';\nexport const daemon = view;",
  'app/server/handlers.ts': "import { view } from '../../fuse/view.ts';\nexport const handlers = view;",
  'app/cli/mount.ts':
    "import { daemon } from '../../fuse/daemon.ts';\nimport { handlers } from '../server/handlers.ts';\nexport const m = [daemon, handlers];",
  'renderer/src/App.tsx': "import { q } from '../../app/shared/query.ts';\nexport const App = q;",
  'main/main.ts': "import { helper } from '../app/kit/helper.ts';\nexport const main = helper;",
};

function cruise(extra: Record<string, string>): { status: number; output: string } {
  const root = tempDir('sleeve-layers-');
  for (const [path, text] of Object.entries({ ...ALLOWED, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${text}\n`);
  }
  const folders = ['app', 'index-engine', 'fuse', 'main', 'renderer'];
  const r = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '-T', 'err-long', ...folders], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe('the layer rules', () => {
  it('pass a tree whose every layer imports only what it may', () => {
    const r = cruise({});
    expect(r.output).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it.each([
    [
      'index-engine',
      'index-engine/bad.ts',
      "import { db } from '../app/core/db/database.ts';",
      'app/core/db/database.ts',
    ],
    [
      'core-db',
      'app/core/db/bad.ts',
      "import { list } from '../library/list.ts';",
      'app/core/library/list.ts',
    ],
    [
      'core-library',
      'app/core/library/bad.ts',
      "import { view } from '../../../fuse/view.ts';",
      'fuse/view.ts',
    ],
    ['kit', 'app/kit/bad.ts', "import { db } from '../core/db/database.ts';", 'app/core/db/database.ts'],
    ['shared', 'app/shared/bad.ts', "import { helper } from '../kit/helper.ts';", 'app/kit/helper.ts'],
    ['shared-no-node', 'app/shared/bad.ts', "import { readFileSync } from 'node:fs';", 'fs'],
    [
      'fuse',
      'fuse/bad.ts',
      "import { handlers } from '../app/server/handlers.ts';",
      'app/server/handlers.ts',
    ],
    ['fuse', 'fuse/bad.ts', "import { daemon } from './daemon.ts';", 'fuse/daemon.ts'],
    ['server', 'app/server/bad.ts', "import { m } from '../cli/mount.ts';", 'app/cli/mount.ts'],
    ['renderer', 'renderer/src/bad.ts', "import { list } from '../../app/core/library/list.ts';", 'list.ts'],
    ['renderer-no-node', 'renderer/src/bad.ts', "import { join } from 'node:path';", 'path'],
    ['electron-main', 'main/bad.ts', "import { handlers } from '../app/server/handlers.ts';", 'handlers.ts'],
  ])('rule %s refuses %s importing %s', (rule, file, line, target) => {
    const r = cruise({ [file]: `${line}\nexport const bad = 1;` });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(new RegExp(`error ${rule}: ${file} → \\S*${target.replace('.', '\\.')}`));
  });

  it('refuses an import cycle', () => {
    const r = cruise({
      'app/kit/a.ts': "import { b } from './b.ts';\nexport const a = () => b;",
      'app/kit/b.ts': "import { a } from './a.ts';\nexport const b = () => a;",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/error no-circular: app\/kit\/a\.ts → \s*app\/kit\/b\.ts →\s*app\/kit\/a\.ts/);
  });
});
