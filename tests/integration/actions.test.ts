// Saved actions as a user makes them: a sequence of tools saved under a name, listed, shown as JSON and
// saved back from it, run on an album as one previewed, undoable edit named after the action; the app
// applying the steps it previewed even when the action is replaced meanwhile; the refusals for a bad step,
// a taken name, an unknown action and a stored action this version cannot run; the files never written.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { startBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

describe('sleeve action', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let before: Map<string, string>;
  const sleeve = (...args: string[]) => sleeveHere(home, args);
  const listed = (folder: string) =>
    sleeve('ls', `path:${folder}`, '-f', '$tracknumber|$title|$artist').stdout.trim().split('\n');

  beforeAll(() => {
    for (const folder of ['first', 'second'])
      for (const [i, n] of ['01 - the sound of the city', '02 - live at the BBC (feat. mira)'].entries())
        makeWav(join(music, folder, `${n}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(sleeve('scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music).status).toBe(0);
  });
  afterAll(() => expect(hashTree(music)).toEqual(before));

  it('saves steps under a name, lists them, and runs them on an album as one edit named after the action', () => {
    const saved = sleeve(
      'action',
      'save',
      'New album',
      'from-path',
      '--pattern',
      '%tracknumber% - %title%',
      '+',
      'case',
      '--mode',
      'title',
      '--field',
      'title',
      '+',
      'replace',
      '--regex',
      '--find',
      ' \\(feat\\. (\\w+)\\)',
      '--with',
      '',
      '--field',
      'title',
    );
    expect(saved.stdout).toBe(
      [
        'saved the action "New album": 3 step(s)',
        '  1. Tags from file names (%tracknumber% - %title%)',
        '  2. Title case for title',
        '  3. Replace the pattern " \\(feat\\. (\\w+)\\)" with "" in title',
        '',
      ].join('\n'),
    );
    expect(sleeve('action', 'ls').stdout).toMatch(
      /^New album {2}Tags from file names .*; Title case for title; /,
    );
    const shown = sleeve('action', 'run', 'new album', 'path:first');
    expect(shown.status).toBe(1); // previewed, not confirmed
    expect(shown.stdout).toContain('  title: (none) → "The Sound of the City"');
    expect(listed('first')).toEqual(['|01 - the sound of the city|', '|02 - live at the BBC (feat. mira)|']);
    const run = sleeve('action', 'run', 'new album', 'path:first', '-y');
    expect(run.stdout).toMatch(/saved as edit batch (\d+) \(2 file\(s\)\)/);
    expect(listed('first')).toEqual(['1|The Sound of the City|', '2|Live at the BBC|']);
    expect(listed('second')).toEqual(['|01 - the sound of the city|', '|02 - live at the BBC (feat. mira)|']);
    // One batch, named after the action, undone at once.
    expect(sleeve('history').stdout).toMatch(/The action "New album" \(3 steps\) on 2 tracks/);
    expect(sleeve('undo').stdout).toMatch(/^undid edit batch \d+: The action "New album"/);
    expect(listed('first')[0]).toBe('|01 - the sound of the city|');
  });

  it('shows an action as JSON that saves back as another one', () => {
    const file = join(dir, 'action.json');
    const json = sleeve('action', 'show', 'New album').stdout;
    expect(JSON.parse(json)).toMatchObject({ name: 'New album', steps: [{ kind: 'from-path' }, {}, {}] });
    writeFileSync(file, json);
    expect(sleeve('action', 'save', 'Copy of it', '--file', file).status).toBe(0);
    expect(sleeve('action', 'show', 'copy of it').stdout).toBe(json.replace('New album', 'Copy of it'));
    expect(sleeve('action', 'rm', 'Copy of it').stdout).toBe('removed the action "Copy of it"\n');
  });

  it('refuses a bad step, a name taken, an unknown action and an action file that is none', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ steps: [{ kind: 'case', mode: 'shouting' }] }));
    const cases: Array<[string[], number, string]> = [
      [['save', 'x', 'case', '--mode', 'shouting'], 2, '--mode is one of title, sentence, upper, lower'],
      [['save', 'x', 'trim', '+'], 2, 'a "+" needs a tool on each side of it'],
      [['save', 'x', 'rename'], 2, 'unknown tool "rename"'],
      [['save', 'x', 'trim', 'stray'], 2, 'tool trim: "stray" is not an option'],
      [['save', 'NEW ALBUM', 'trim'], 1, 'an action "New album" exists: replace it, or choose another name'],
      [['save', 'x', '--file', file], 1, 'not an action: steps.0.mode:'],
      // Each step checked as it would run, before it is saved.
      [
        ['save', 'x', 'trim', '+', 'replace', '--regex', '--find', '(', '--with', 'y'],
        1,
        'the regular expression "(" is not valid',
      ],
      [['save', 'x', 'copy', '--from', 'titel', '--to', 'album'], 1, 'titel'],
      [['save', 'x', 'script', '--expr', '$set(title'], 1, 'the script: '],
      [['run', 'nothing', 'path:first'], 1, 'there is no action "nothing"'],
      [['rm', 'nothing'], 1, 'there is no action "nothing"'],
    ];
    for (const [args, status, message] of cases) {
      const r = sleeve('action', ...args);
      expect([args, r.status, r.stderr]).toEqual([args, status, expect.stringContaining(message)]);
    }
    expect(sleeve('action', 'save', 'new album', 'trim', '--replace').status).toBe(0);
    // Replaced under the name as typed this time.
    expect(sleeve('action', 'ls').stdout).toMatch(
      /^new album {2}Trim spaces in every text field {2}\(saved \d{4}-\d\d-\d\d\)\n$/,
    );
    expect(sleeve('action', 'show', 'x').status).toBe(1); // none of the refused was saved
  });

  it('lists a stored action this version cannot run with the reason, and refuses to run it', () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      db.prepare('INSERT INTO actions (name, steps, saved_at) VALUES (?, ?, 0)').run(
        'From the future',
        JSON.stringify([{ kind: 'teleport' }]),
      );
    } finally {
      db.close();
    }
    expect(sleeve('action', 'ls').stdout).toContain(
      'From the future  (the action "From the future" cannot be run by this version of Sleeve: 0.kind:',
    );
    const run = sleeve('action', 'run', 'From the future', 'path:first', '-y');
    expect([run.status, run.stderr]).toEqual([1, expect.stringContaining('cannot be run by this version')]);
    expect(sleeve('action', 'rm', 'From the future').status).toBe(0);
  });

  it('through the backend, saves what it previewed even when the action is replaced meanwhile', async () => {
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    const fromPath = { kind: 'from-path', pattern: '%tracknumber% - %title%' } as const;
    try {
      await client.call('actions.save', {
        name: 'Upper titles',
        steps: [fromPath, { kind: 'case', mode: 'upper', fields: ['title'] }],
      });
      await expect(
        client.call('actions.save', { name: 'upper titles', steps: [{ kind: 'trim' }] }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const ids = sleeve('ls', 'path:second', '-f', '$id').stdout.trim().split('\n').map(Number);
      const plan = await client.call('tools.plan', {
        target: { kind: 'ids', ids },
        sort: null,
        action: 'Upper titles',
      });
      expect(plan.files).toBe(2);
      await client.call('actions.save', {
        name: 'Upper titles',
        steps: [fromPath, { kind: 'case', mode: 'lower', fields: ['title'] }],
        replace: true,
      });
      const saved = await client.call('tools.apply', { preview: plan.preview });
      expect(saved.batch?.description).toBe('The action "Upper titles" (2 steps) on 2 tracks');
      expect(listed('second')).toEqual(['1|THE SOUND OF THE CITY|', '2|LIVE AT THE BBC (FEAT. MIRA)|']);
      const { actions } = await client.call('actions.list', {});
      expect(actions.map((a) => a.name)).toEqual(['new album', 'Upper titles']);
      await expect(
        client.call('tools.plan', { target: { kind: 'ids', ids }, sort: null }),
      ).rejects.toMatchObject({ code: 'bad_request' });
      await client.call('actions.remove', { name: 'upper titles' });
      await expect(client.call('actions.remove', { name: 'Upper titles' })).rejects.toMatchObject({
        code: 'not_found',
      });
    } finally {
      client.close();
      await backend.close();
    }
  });
});
