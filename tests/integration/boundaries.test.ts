// The layer rules themselves (.dependency-cruiser.mjs): a miniature tree with Sleeve's folders, one wrong
// import at a time, must fail with the rule's name and the import; the allowed ones must pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

/** Files every case shares: one module in each layer, importing only what its layer may. */
const ALLOWED: Record<string, string> = {
  'kit/helper.ts': 'export const helper = 1;',
  'kit/user-error.ts': 'export class UserError extends Error {}',
  'app/shared/query.ts': "import { UserError } from '../../kit/user-error.ts';\nexport const q = UserError;",
  'index-engine/engine.ts': "import { helper } from '../kit/helper.ts';\nexport const engine = helper;",
  'app/core/home.ts': "import { q } from '../shared/query.ts';\nexport const home = q;",
  'app/core/mounts/control.ts': "import { home } from '../home.ts';\nexport const control = home;",
  'app/core/db/database.ts': "import { home } from '../home.ts';\nexport const db = home;",
  'app/core/library/list.ts': "import { db } from '../db/database.ts';\nexport const list = db;",
  'app/core/fingerprint/groups.ts':
    "import { engine } from '../../../index-engine/engine.ts';\nexport const groups = engine;",
  'app/core/watch/watcher.ts': "import { list } from '../library/list.ts';\nexport const watcher = list;",
  'fuse/view.ts': "import { list } from '../app/core/library/list.ts';\nexport const view = list;",
  'fuse/daemon.ts': "import { view } from './view.ts';\nexport const daemon = view;",
  'app/server/handlers.ts':
    "import { control } from '../core/mounts/control.ts';\nimport { watcher } from '../core/watch/watcher.ts';\nexport const handlers = [control, watcher];",
  'app/cli/mount.ts': "import { handlers } from '../server/handlers.ts';\nexport const m = handlers;",
  'renderer/src/App.tsx': "import { q } from '../../app/shared/query.ts';\nexport const App = q;",
  'renderer/web.ts': 'export const web = 1;',
  'main/main.ts': "import { helper } from '../kit/helper.ts';\nexport const main = helper;",
  'app/server/renderer-build.ts': 'export const build = 1;',
  'main/start.ts': "import { build } from '../app/server/renderer-build.ts';\nexport const start = build;",
};

function cruise(extra: Record<string, string>): { status: number; output: string } {
  const root = tempDir('sleeve-layers-');
  for (const [path, text] of Object.entries({ ...ALLOWED, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${text}\n`);
  }
  const folders = ['kit', 'app', 'index-engine', 'fuse', 'main', 'renderer'];
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

  // Every wrong import below in one tree, each in a file of its own (bad-N.ts beside the case's file, or the
  // case's file itself when it is one the allowed tree has): one cruise reports each with its rule.
  const WRONG: Array<[rule: string, file: string, line: string, target: string]> = [
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
    [
      'core-watch',
      'app/core/watch/bad.ts',
      "import { daemon } from '../../../fuse/daemon.ts';",
      'fuse/daemon.ts',
    ],
    [
      'core-mounts',
      'app/core/mounts/bad.ts',
      "import { view } from '../../../fuse/view.ts';",
      'fuse/view.ts',
    ],
    ['core-db', 'app/core/db/bad.ts', "import { watcher } from '../watch/watcher.ts';", 'watcher.ts'],
    ['kit', 'kit/bad.ts', "import { db } from '../app/core/db/database.ts';", 'app/core/db/database.ts'],
    ['index-engine', 'index-engine/bad.ts', "import { q } from '../app/shared/query.ts';", 'query.ts'],
    ['shared', 'app/shared/bad.ts', "import { helper } from '../../kit/helper.ts';", 'kit/helper.ts'],
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
    // Arrows only down between the top-level folders: app/ starts the daemon by path, never imports fuse/.
    ['server', 'app/server/bad.ts', "import { view } from '../../fuse/view.ts';", 'fuse/view.ts'],
    ['cli', 'app/cli/bad.ts', "import { daemon } from '../../fuse/daemon.ts';", 'fuse/daemon.ts'],
    ['launchers', 'renderer/web.ts', "import { handlers } from '../app/server/handlers.ts';", 'handlers.ts'],
  ];
  const wrongFiles = WRONG.map(([, file], i) =>
    file.endsWith('/bad.ts') ? file.replace(/bad\.ts$/, `bad-${i}.ts`) : file,
  );
  let wrong: { status: number; output: string };
  beforeAll(() => {
    wrong = cruise(
      Object.fromEntries(WRONG.map(([, , line], i) => [wrongFiles[i]!, `${line}\nexport const bad = 1;`])),
    );
  });

  it.each(WRONG.map((c, i) => [...c, wrongFiles[i]!] as const))(
    'rule %s refuses %s importing %s',
    (rule, _file, _line, target, file) => {
      expect(wrong.status).not.toBe(0);
      expect(wrong.output).toMatch(new RegExp(`error ${rule}: ${file} → \\S*${target.replace('.', '\\.')}`));
    },
  );

  it.each([
    ['app/core/newthing/x.ts', 'app/core/newthing', 'CORE'],
    ['app/newthing/x.ts', 'app/newthing', 'APP'],
  ])('refuses %s: a folder no rule names, whatever it imports', (file, folder, list) => {
    const r = cruise({ [file]: 'export const x = 1;' });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(`${folder} is a folder no layer rule names`);
    expect(r.output).toContain(`(${list})`);
  });

  it('refuses an import cycle', () => {
    const r = cruise({
      'kit/a.ts': "import { b } from './b.ts';\nexport const a = () => b;",
      'kit/b.ts': "import { a } from './a.ts';\nexport const b = () => a;",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/error no-circular: kit\/a\.ts → \s*kit\/b\.ts →\s*kit\/a\.ts/);
  });
});
