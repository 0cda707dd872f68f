// A tagger that loaded a file whose name another track took since (an edit renamed the first, then the
// second to the first's old title): its save by that path would write the first track's tags into the
// second, every field it read counted as changed. The open for writing is refused (ESTALE, said in the
// daemon's log), so the tagger says the save failed; a tool that opens the file afresh saves as always.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, run } from '../fixtures/library.ts';
import { sleeveHere } from '../helpers.ts';
import { PY, TestMount, waitFor } from '../mount-helpers.ts';

const TAGGER = new URL('../fixtures/long-tagger.py', import.meta.url).pathname;

describe('a tagger saving by a name another track took since', () => {
  const t = new TestMount();
  const tagger = spawn(PY, [TAGGER]);
  const answers = createInterface({ input: tagger.stdout })[Symbol.asyncIterator]();
  const ask = async (...command: string[]) => {
    tagger.stdin.write(`${JSON.stringify(command)}\n`);
    return String((await answers.next()).value);
  };

  beforeAll(() => {
    const wav = join(t.dir, 'tone.wav');
    makeWav(wav, 440, 2);
    for (const [name, title, comment] of [
      ['first.mp3', 'First', 'Of the first'],
      ['second.mp3', 'Second', 'Of the second'],
    ] as const)
      run('ffmpeg', [
        ...['-v', 'error', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '128k'],
        ...['-metadata', `title=${title}`, '-metadata', 'artist=Swapper', '-metadata', `comment=${comment}`],
        join(t.music, name),
      ]);
    t.start(['first.mp3', 'second.mp3'], []);
  });

  afterAll(() => {
    tagger.stdin.end();
    t.stop();
  });

  it('refuses the save, writing nothing into the track that took the name; a fresh tool saves there', async () => {
    const path = t.served('First.mp3');
    expect(await ask('load', path)).toBe('ok');
    expect(sleeveHere(t.home, ['set', '-y', 'title:First', 'title=Moved Away']).status).toBe(0);
    expect(sleeveHere(t.home, ['set', '-y', 'title:Second', 'title=First']).status).toBe(0);
    await waitFor('the second track at the name', () =>
      t.served('Moved Away.mp3') !== '' && t.served('First.mp3') === path ? true : undefined,
    );
    expect(await ask('set', path, 'genre', 'From the tagger')).toBe('ok');
    expect(await ask('save', path)).toMatch(/^error: .*Stale file handle/);
    expect(t.field('second.mp3', 'comment')).toEqual(['Of the second']);
    expect(t.field('second.mp3', 'genre') ?? []).toEqual([]);
    expect(t.field('first.mp3', 'genre') ?? []).toEqual([]);
    expect(t.log()).toMatch(/refused a save to file \d+: the saving process loaded another file/);
    // A tool that opens the file now writes to the track it finds there.
    run('mid3v2', ['--genre', 'Fresh', path]);
    expect(t.field('second.mp3', 'genre')).toEqual(['Fresh']);
    expect(t.field('second.mp3', 'comment')).toEqual(['Of the second']);
  });
});
