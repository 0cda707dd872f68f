// `npm test`'s check of the docs (run by tests/npm-test.ts): every relative link in the project's
// Markdown leads to a file that exists and, with a #fragment, to a heading (or an <a id>) there; and the
// README's `apt-get install` line names exactly the Debian packages .ci/run installs, since the README
// promises its set-up is CI's; docs/field-names.md is what the field table makes (field-names-doc.ts);
// every project file the docs name exists; and every module of the layers is named on an architecture
// page, so the map covers the code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fieldNamesPage } from './field-names-doc.ts';

/** Folders never searched for Markdown: dependencies, build output, caches, version control. */
const SKIP = new Set(['node_modules', 'release', 'dist', 'build']);

/** Markdown files under `root`, as paths relative to it. */
export function markdownFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(root, path);
    return e.name.endsWith('.md') ? [relative(root, path)] : [];
  });
}

/** The text a reader sees as prose: fenced code blocks and inline code removed (links there are examples). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: the rendered text lower-cased, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
    .replace(/[`*]/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown text offers: its headings' (a repeated one numbered, as GitHub does) and its
 *  explicit `<a id="…">` / `<a name="…">`. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(id!);
  return found;
}

/** The broken relative links of the Markdown files under `root`: "FILE: TARGET (why)". */
export function brokenLinks(root: string): string[] {
  const broken: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchorsIn = (file: string) => {
    const known = anchorsOf.get(file);
    if (known) return known;
    const set = anchors(readFileSync(file, 'utf8'));
    anchorsOf.set(file, set);
    return set;
  };
  for (const file of markdownFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // a URL: http:, mailto:…
      const [path, fragment] = target!.split('#', 2) as [string, string | undefined];
      const to = path === '' ? join(root, file) : resolve(root, dirname(file), decodeURI(path));
      if (!existsSync(to)) {
        broken.push(`${file}: ${target} (no such file)`);
        continue;
      }
      if (
        fragment !== undefined &&
        statSync(to).isFile() &&
        to.endsWith('.md') &&
        !anchorsIn(to).has(fragment)
      )
        broken.push(`${file}: ${target} (no heading #${fragment} in ${relative(root, to)})`);
    }
  }
  return broken;
}

/** The packages of the README's `apt-get install` line that .ci/run does not install, and the other way. */
export function setUpMismatch(readme: string, ciRun: string): string[] {
  const line = readme.match(/apt-get install ([^\n`]+)/);
  if (!line) return ['the README has no `apt-get install …` line'];
  const listed = new Set(line[1]!.split(/\s+/).filter((w) => w !== '' && !w.startsWith('-')));
  const block = ciRun.match(/packages=\(([\s\S]*?)\n\)/);
  if (!block) return ['.ci/run has no packages=( … ) list'];
  const installed = new Set(block[1]!.replace(/#.*$/gm, '').split(/\s+/).filter(Boolean));
  return [
    ...[...listed].filter((p) => !installed.has(p)).map((p) => `README installs ${p}, .ci/run does not`),
    ...[...installed].filter((p) => !listed.has(p)).map((p) => `.ci/run installs ${p}, the README does not`),
  ];
}

/** A project file named in prose or code: a path under one of the project's folders, with an extension. */
const NAMED_PATH =
  /(?<![\w./-])(?:app|fuse|kit|index-engine|main|renderer|tests|bench|docs)\/[\w./-]+\.(?:ts|tsx|js|mjs|c|h|py|sh|md)\b/g;

/** Project files the Markdown under `root` names that do not exist: "FILE: PATH (no such file)". A test or
 *  module moved leaves its old path in the docs, where no link check sees it. */
export function missingNamedPaths(root: string): string[] {
  return markdownFiles(root).flatMap((file) =>
    [...new Set(readFileSync(join(root, file), 'utf8').match(NAMED_PATH) ?? [])]
      .filter((path) => !existsSync(join(root, path)))
      .map((path) => `${file}: ${path} (no such file)`),
  );
}

/** The layers' source folders, whose every module an architecture page names. */
const MAPPED = ['app', 'fuse', 'kit', 'index-engine', 'main', 'renderer/src'];

/** Modules (by path) whose name (`worker-pool` for kit/worker-pool.ts, `App` for App.tsx) appears on no
 *  page of docs/architecture/ or docs/architecture.md, as a word of its own. */
export function unmappedModules(root: string): string[] {
  const pages = [
    join(root, 'docs/architecture.md'),
    ...readdirSync(join(root, 'docs/architecture')).map((f) => join(root, 'docs/architecture', f)),
  ];
  const map = pages.map((page) => readFileSync(page, 'utf8')).join('\n');
  const modules = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return SKIP.has(e.name) || e.name === 'native' ? [] : modules(path);
      return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
    });
  return MAPPED.filter((dir) => existsSync(join(root, dir)))
    .flatMap(modules)
    .filter((path) => {
      const name = path.replace(/^.*\//, '').replace(/\.tsx?$/, '');
      return !new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(map);
    });
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, '..');
  const problems = [
    ...brokenLinks(root),
    ...missingNamedPaths(root),
    ...setUpMismatch(
      readFileSync(join(root, 'README.md'), 'utf8'),
      readFileSync(join(root, '.ci/run'), 'utf8'),
    ),
    ...(readFileSync(join(root, 'docs/field-names.md'), 'utf8') === fieldNamesPage()
      ? []
      : ['docs/field-names.md is not what the field table makes: node tests/field-names-doc.ts --write']),
    ...unmappedModules(root).map((m) => `${m}: named on no page of docs/architecture (the map of the code)`),
  ];
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log(
    `docs: every relative link resolves, every file named exists, the README's set-up is .ci/run's, the field names are the table's, every module is on the map`,
  );
}
