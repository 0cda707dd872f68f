// Sleeve's layers, checked by `npm run boundaries` (part of `npm test`). Each folder is one layer and may
// import only the layers listed for it, all of them below it; docs/architecture.md draws the same picture.
// A rule names what a layer may use, so a wrong import fails with the rule's name, its reason and the
// import itself. Never widen a rule to make an import pass: move the code to the layer it belongs to.
//
// The top-level folders, lowest first: kit/ → index-engine/ → app/ (shared → core → server → cli) → fuse/;
// main/ and renderer/ use app/shared (and main/start.ts the page's build). Arrows only point down: app/
// starts the mount daemon by its path and never imports fuse/, index-engine/ never imports app/.
import { readdirSync } from 'node:fs';

// The core's folders, lowest first: each may import only the ones before it.
const CORE = [
  'mounts',
  'db',
  'tags',
  'media',
  'audio',
  'served',
  'fingerprint',
  'library',
  'mounted',
  'similar',
  'scan',
  'watch',
  'identify',
];
/** app/'s folders, each a layer of its own. */
const APP = ['shared', 'core', 'server', 'cli'];

/**
 * A folder the rules do not name would be checked by none of them: refused, so that a new folder is
 * placed in the order (here and in docs/architecture.md) before anything can import from it.
 */
function refuseUnknownFolders(parent, known) {
  let entries;
  try {
    entries = readdirSync(parent, { withFileTypes: true });
  } catch {
    return; // a checkout without the folder (the rules' own tests build partial trees)
  }
  const unknown = entries.filter((e) => e.isDirectory() && !known.includes(e.name)).map((e) => e.name);
  if (unknown.length > 0)
    throw new Error(
      `boundaries: ${unknown.map((n) => `${parent}/${n}`).join(', ')} is a folder no layer rule names: ` +
        `add it to the order in .dependency-cruiser.mjs (${parent === 'app' ? 'APP' : 'CORE'}) and docs/architecture.md`,
    );
}
refuseUnknownFolders('app', APP);
refuseUnknownFolders('app/core', CORE);

/** Anything that is Sleeve's own code (npm packages and Node's modules are not layers). */
const SLEEVE = '^(app|kit|fuse|index-engine|main|renderer)/';
const KIT = '^kit/';
const SHARED = '^app/shared/';
const INDEX_ENGINE = '^index-engine/';
const CORE_ROOT = '^app/core/[^/]+$';
const CORE_ALL = '^app/core/';
const FUSE_LIBRARY = '^fuse/(?!daemon\\.ts$)';

/** A rule: modules matching `from` may import nothing of Sleeve but `allowed`. */
function only(name, comment, from, allowed) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: SLEEVE, pathNot: allowed } };
}

const coreRules = CORE.map((folder, i) =>
  only(
    `core-${folder}`,
    `app/core/${folder} sits above ${['the core root (home, config)', ...CORE.slice(0, i)].join(', ')} ` +
      'in the core and may import only those, kit, app/shared and index-engine',
    `^app/core/${folder}/`,
    [
      KIT,
      SHARED,
      INDEX_ENGINE,
      CORE_ROOT,
      `^app/core/${folder}/`,
      ...CORE.slice(0, i).map((f) => `^app/core/${f}/`),
    ],
  ),
);

export default {
  forbidden: [
    only('kit', 'kit/ holds generic helpers that know nothing of Sleeve', KIT, [KIT]),
    only(
      'shared',
      'app/shared is pure and DOM-safe (the renderer uses it): only itself and the error base',
      SHARED,
      [SHARED, '^kit/user-error\\.ts$'],
    ),
    {
      name: 'shared-no-node',
      comment: 'app/shared runs in the browser too: no Node modules',
      severity: 'error',
      from: { path: SHARED },
      to: { dependencyTypes: ['core'] },
    },
    only(
      'index-engine',
      'index-engine is a library that could be lifted out: it may import only kit/',
      INDEX_ENGINE,
      [INDEX_ENGINE, KIT],
    ),
    only('core-root', 'app/core/home.ts and config.ts are the bottom of the core', CORE_ROOT, [KIT, SHARED]),
    ...coreRules,
    only(
      'fuse',
      'fuse/ (but its daemon) is the mounted library: it uses the core, never an entry point',
      FUSE_LIBRARY,
      [KIT, SHARED, CORE_ALL, FUSE_LIBRARY],
    ),
    only('fuse-daemon', 'the mount daemon is an entry point of its own', '^fuse/daemon\\.ts$', [
      KIT,
      SHARED,
      CORE_ALL,
      FUSE_LIBRARY,
    ]),
    only(
      'server',
      'the backend composes the core and the index engine; it starts mount daemons through the core (by path), never imports fuse/ or the CLI',
      '^app/server/',
      ['^app/server/', KIT, SHARED, INDEX_ENGINE, CORE_ALL],
    ),
    only(
      'cli',
      'the CLI composes everything in app/ below it and hosts the backend; it starts mount daemons through the core (by path), never imports fuse/',
      '^app/cli/',
      ['^app/cli/', '^app/server/', KIT, SHARED, INDEX_ENGINE, CORE_ALL],
    ),
    only(
      'renderer',
      'the UI reaches the backend only over RPC: it may import app/shared and nothing else of Sleeve',
      '^renderer/src/',
      ['^renderer/src/', SHARED],
    ),
    {
      name: 'renderer-no-node',
      comment: 'the UI runs in a sandboxed page: no Node modules',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    only(
      'electron-main',
      'the Electron shell is thin: it runs the backend as a process and uses only kit/ and app/shared',
      '^main/(?!start\\.ts$)',
      ['^main/', KIT, SHARED],
    ),
    only(
      'launchers',
      '`npm start` and `npm run web` start the app (building its page first when it is stale)',
      '^(main/start|renderer/web)\\.ts$',
      ['^main/', '^app/server/renderer-build\\.ts$'],
    ),
    {
      name: 'no-circular',
      comment: 'modules that import each other, directly or through others: cut the cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API yet; swc parses the sources (type-only imports included).
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^renderer/dist/', '^main/dist/', '^fuse/native/build/'] },
    enhancedResolveOptions: {
      conditionNames: ['import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
    },
  },
};
