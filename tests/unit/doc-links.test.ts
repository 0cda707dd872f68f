// The docs' check (tests/doc-links.ts): a relative link to a missing file or heading is reported, a good one
// is not, nor a project file named that is gone; and the README's apt-get line must name exactly .ci/run's
// packages.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, brokenLinks, missingNamedPaths, setUpMismatch, unmappedModules } from '../doc-links.ts';
import { tempDir } from '../helpers.ts';

function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('docs links', () => {
  it('names GitHub anchors: punctuation dropped, code and links read as their text, repeats numbered', () => {
    const md =
      '# Sleeve\n## Templates (`ls -f`, mount paths)\n## art.maxBytes and [pictures](x.md)\n## Sleeve\n<a id="here"></a>\n```\n# not a heading\n```\n';
    expect([...anchors(md)]).toEqual([
      'sleeve',
      'templates-ls--f-mount-paths',
      'artmaxbytes-and-pictures',
      'sleeve-1',
      'here',
    ]);
  });

  it('reports a missing file and a missing heading, and passes good links, URLs and code', () => {
    const root = tree({
      'README.md': [
        '[guide](docs/guide/a.md) [there](docs/guide/a.md#the-mount) [self](#top)',
        '[gone](docs/nope.md) [no heading](docs/guide/a.md#nowhere) [web](https://example.org/x.md)',
        '`[in code](missing.md)` and a picture ![shot](docs/shot.png)',
        '# Top',
      ].join('\n'),
      'docs/guide/a.md': '# The mount\n[back](../../README.md#top) [up](../shot.png)\n',
      'docs/shot.png': 'png',
      'node_modules/x/README.md': '[ignored](nowhere.md)',
    });
    expect(brokenLinks(root)).toEqual([
      'README.md: docs/nope.md (no such file)',
      'README.md: docs/guide/a.md#nowhere (no heading #nowhere in docs/guide/a.md)',
    ]);
  });

  it('reports a project file named in prose or code that does not exist, once per page', () => {
    const root = tree({
      'tests/unit/here.test.ts': '',
      'app/core/a.ts': '',
      'docs/guide/a.md':
        '`tests/unit/here.test.ts` shows it; `tests/unit/gone.test.ts` did, as app/core/a.ts and app/core/b.ts say.\n' +
        'Again: `app/core/b.ts`. Not paths: `npm test -- tests/unit`, tests/unit/**/*.test.ts, my-app/core/c.ts.\n',
    });
    expect(missingNamedPaths(root)).toEqual([
      'docs/guide/a.md: tests/unit/gone.test.ts (no such file)',
      'docs/guide/a.md: app/core/b.ts (no such file)',
    ]);
  });

  it("holds the README's apt-get line to .ci/run's package list, both ways", () => {
    const ci = 'packages=(\n  sox flac   # fixtures\n  fuse3\n)\n';
    expect(setUpMismatch('```sh\nsudo apt-get install sox flac fuse3\n```', ci)).toEqual([]);
    expect(setUpMismatch('sudo apt-get install -y sox fuse3 gdb', ci)).toEqual([
      'README installs gdb, .ci/run does not',
      '.ci/run installs flac, the README does not',
    ]);
    expect(setUpMismatch('npm install', ci)).toEqual(['the README has no `apt-get install …` line']);
  });

  it('names every module of the layers that no architecture page names, as a word of its own', () => {
    const root = tree({
      'docs/architecture.md': 'the map: worker-pool, App',
      'docs/architecture/app.md': 'copy-rules (the rules), `library-fs.ts`',
      'kit/worker-pool.ts': '',
      'kit/worker.ts': '', // "worker" is only part of "worker-pool"
      'app/core/library/copy-rules.ts': '',
      'app/core/library/copy-rules.d.ts': '',
      'fuse/library-fs.ts': '',
      'fuse/native/binding.ts': '', // the binding's own folder is the mount page's
      'renderer/src/App.tsx': '',
      'renderer/src/Apps.tsx': '',
    });
    expect(unmappedModules(root)).toEqual(['kit/worker.ts', 'renderer/src/Apps.tsx']);
  });
});
