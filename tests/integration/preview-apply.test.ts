// Saving applies what the preview showed, in the app and at the terminal: a tool's plan and the tag editor's
// summary cover the files they showed, so a file the library watcher takes in after the preview is left
// alone; and when another client (a second window, a `sleeve` command) changed one of the previewed files
// in between, the save is refused as "changed since the preview", with nothing saved.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveAtTerminal } from '../fixtures/terminal.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  id: number;
  path: string;
  tags: Record<string, string[]>;
}

describe('saving applies the preview', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let before: Map<string, string>;
  let backend: TestBackend;
  let client: RpcClient;
  /** Another window of the app. */
  let other: RpcClient;

  /** A field of each file in `folder`, by file name (null: not set). */
  const field = (folder: string, key: string) =>
    Object.fromEntries(
      sleeveHereJson<Listed[]>(home, ['ls', '--all-copies', '--json', `path:${folder}/`]).map((t) => [
        t.path.slice(t.path.lastIndexOf('/') + 1, -'.wav'.length),
        t.tags[key]?.[0] ?? null,
      ]),
    );
  const count = async (folder: string) =>
    (await client.call('library.count', { query: `path:${folder}/` })).total;
  const batches = async () => (await client.call('history.list', { limit: 200 })).batches.length;
  const query = (folder: string) => ({ kind: 'query' as const, query: `path:${folder}/`, except: [] });

  beforeAll(async () => {
    for (const folder of ['tools', 'tags'])
      for (const [i, name] of ['one', 'two'].entries())
        makeWav(join(music, folder, `${name}.wav`), 300 + 100 * i);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', music]);
    expect(scan.status, scan.stderr).toBe(0);
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const url = `ws://127.0.0.1:${backend.server.port}/rpc?token=${backend.server.token}`;
    client = new RpcClient(url);
    other = new RpcClient(url);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    other?.close();
    await backend?.close();
  });

  it('a tool leaves alone a file the watcher took in after its preview', async () => {
    const plan = await client.call('tools.plan', {
      target: query('tools'),
      sort: null,
      tool: { kind: 'from-path', pattern: '%title%' },
    });
    expect(plan.files).toBe(2);
    makeWav(join(music, 'tools', 'three.wav'), 500);
    before = hashTree(music);
    await expect.poll(() => count('tools')).toBe(3);
    const saved = await client.call('tools.apply', { preview: plan.preview });
    expect(saved.changedTracks).toBe(2);
    expect(field('tools', 'title')).toEqual({ one: 'one', two: 'two', three: null });
  });

  it('a tool is refused when another window changed a previewed track, and saves nothing', async () => {
    const plan = await client.call('tools.plan', {
      target: query('tools'),
      sort: null,
      tool: { kind: 'case', mode: 'upper', fields: ['title'] },
    });
    expect(plan.files).toBe(2);
    const two = plan.paths.find((p) => p.path.endsWith('/two.wav'))!.id;
    const { preview } = await other.call('tags.summary', { target: { kind: 'ids', ids: [two] } });
    await other.call('tags.edit', {
      preview,
      changes: [{ key: 'title', values: ['Second'], loadedFrom: preview }],
    });
    const saved = await batches();
    await expect(client.call('tools.apply', { preview: plan.preview })).rejects.toMatchObject({
      code: 'conflict',
      message: '1 track changed since the preview: review again (two.wav)',
    });
    expect(await batches()).toBe(saved);
    expect(field('tools', 'title')).toEqual({ one: 'one', two: 'Second', three: null });
  });

  it('the tag editor edits the tracks its summary showed, not one the watcher took in since', async () => {
    const summary = await client.call('tags.summary', { target: query('tags') });
    expect(summary.tracks).toBe(2);
    makeWav(join(music, 'tags', 'three.wav'), 600);
    before = hashTree(music);
    await expect.poll(() => count('tags')).toBe(3);
    const saved = await client.call('tags.edit', {
      preview: summary.preview,
      changes: [{ key: 'genre', values: ['Shoegaze'], loadedFrom: summary.preview }],
    });
    expect(saved.changedTracks).toBe(2);
    expect(field('tags', 'genre')).toEqual({ one: 'Shoegaze', two: 'Shoegaze', three: null });
  });

  it('the tag editor is refused when a sleeve command changed a summarized track, and saves nothing', async () => {
    const summary = await client.call('tags.summary', { target: query('tags') });
    expect(sleeveHere(home, ['set', 'path:tags/one', 'mood=Calm', '-y']).status).toBe(0);
    const saved = await batches();
    // The summary it saves is older than the change: refused whole, whatever field changed.
    const genre = { key: 'genre', values: ['Pop'], loadedFrom: summary.preview };
    await expect(
      client.call('tags.edit', { preview: summary.preview, changes: [genre] }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: '1 track changed since the preview: review again (one.wav)',
    });
    expect(await batches()).toBe(saved);
    // The editor loads again (a new summary) and keeps the draft: a field the user did not type in changed,
    // so the draft's field saves.
    const again = await client.call('tags.summary', { target: query('tags') });
    const ok = await client.call('tags.edit', { preview: again.preview, changes: [genre] });
    expect(ok.changedTracks).toBe(3); // and three.wav, which the watcher took in above
    await client.call('history.undo', { batchId: ok.batch!.id });
    expect(sleeveHere(home, ['set', 'path:tags/one', '--clear', 'mood', '-y']).status).toBe(0);
  });

  it('the tag editor never saves over a field changed elsewhere since it loaded it: refused, saying what and who', async () => {
    const loaded = await client.call('tags.summary', { target: query('tags') });
    expect(sleeveHere(home, ['set', 'path:tags/one', 'genre=Dream Pop', '-y']).status).toBe(0);
    const saved = await batches();
    // The editor has reloaded since (the library changed), but the draft was typed over what it loaded first.
    const reloaded = await client.call('tags.summary', { target: query('tags') });
    const stamp = (s: typeof loaded) => s.fields.find((f) => f.key === 'genre')!.stamp;
    expect(stamp(reloaded)).not.toBe(stamp(loaded));
    await expect(
      client.call('tags.edit', {
        preview: reloaded.preview,
        changes: [{ key: 'genre', values: ['Pop'], loadedFrom: loaded.preview }],
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^Not saved: Genre changed on some tracks since the editor loaded it \(edit \d+ by a sleeve command: Set genre to "Dream Pop" where path:tags\/one\)/,
      ),
    });
    expect(await batches()).toBe(saved);
    expect(field('tags', 'genre')).toEqual({ one: 'Dream Pop', two: 'Shoegaze', three: null });
    // Undone elsewhere: refused too, saying so.
    const undone = await client.call('history.undo', {});
    await expect(
      client.call('tags.edit', {
        preview: (await client.call('tags.summary', { target: query('tags') })).preview,
        changes: [{ key: 'genre', values: ['Pop'], loadedFrom: reloaded.preview }],
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        `(edit ${undone.batch.id} (Set genre to "Dream Pop" where path:tags/one) was undone)`,
      ),
    });
  });

  it('`sleeve tool` at a terminal saves only the plan it showed: a change while it asks is refused', async () => {
    const asking = sleeveAtTerminal(home, [
      'tool',
      'case',
      'path:tags/',
      '--mode',
      'upper',
      '--field',
      'genre',
    ]);
    await asking.waitFor('[y/N]');
    expect(sleeveHere(home, ['set', 'path:tags/two', 'genre=Slowcore', '-y']).status).toBe(0);
    asking.type('y\n');
    const { status, output } = await asking.done;
    expect(output).toContain('  genre: "Shoegaze" → "SHOEGAZE"');
    expect(output).toContain('1 track changed since the preview: review again (two.wav)');
    expect(status).toBe(1);
    expect(field('tags', 'genre')).toEqual({ one: 'Shoegaze', two: 'Slowcore', three: null });
  });

  it('`sleeve set` at a terminal too', async () => {
    const asking = sleeveAtTerminal(home, ['set', 'path:tags/', 'mood=Calm']);
    await asking.waitFor('[y/N]');
    expect(sleeveHere(home, ['set', 'path:tags/three', 'genre=Ambient', '-y']).status).toBe(0);
    asking.type('y\n');
    const { status, output } = await asking.done;
    expect(output).toContain('3 file(s) will change');
    expect(output).toContain('1 track changed since the preview: review again (three.wav)');
    expect(status).toBe(1);
    expect(field('tags', 'mood')).toEqual({ one: null, two: null, three: null });
  });

  it('never writes the originals', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
