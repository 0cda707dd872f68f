// A save through the mount that the daemon refuses is told to the app as it comes ('mount.problem'): the
// tagger learns of it only from close()'s EIO, which metaflac and kid3-cli ignore.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../app/shared/rpc-contract.ts';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { id3Span } from '../fixtures/id3-tag.ts';
import { run } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';
import { TestMount } from '../mount-helpers.ts';

describe('a save through the mount refused, told to the app', () => {
  const t = new TestMount();
  let backend: TestBackend;
  let client: RpcClient;
  const told: Array<EventData<'mount.problem'>> = [];

  /** Sets the ID3v2.4 extended-header flag in the served file's tag (a damaged save), and closes it. */
  const damage = (suffix: string) => {
    const path = t.served(suffix);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([0x40]), 0, 1, id3Span(readFileSync(path))[0] + 5);
    expect(() => closeSync(fd)).toThrow(/EIO/);
  };

  beforeAll(async () => {
    const wav = join(t.dir, 'tone.wav');
    tool('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', wav, 'synth', '1', 'sine', '440']);
    for (const name of ['one.mp3', 'two.mp3']) run('lame', ['--quiet', '-b', '32', wav, join(t.music, name)]);
    t.start(
      ['one.mp3', 'two.mp3'],
      [
        ['one.mp3', 'title=One', 'artist=Ada'],
        ['two.mp3', 'title=Two', 'artist=Ada'],
      ],
    );
    backend = await startBackend(t.home, tempDir(), { watchMs: 50 });
    client = backend.connect();
    client.on('mount.problem', (p) => told.push(p));
    await client.call('mount.status', {});
  });

  afterAll(async () => {
    client?.close();
    await backend?.close();
    t.stop();
  });

  it('tells the refusal with its file and reason, once a minute', async () => {
    damage('Two.mp3');
    await expect.poll(() => told.length).toBe(1);
    expect(told[0]).toEqual({
      mountpoint: t.mnt,
      problem: expect.stringMatching(
        /^EIO \/Ada\/Unknown Album\/Two\.mp3: write rejected, nothing changed: the written file cannot be read: the ID3v2\.4 tag has an extended header/,
      ),
    });
    // The same refusal again within the minute is not told again (a stalled share's EIO on every read
    // would be a notice four times a second); another file's is.
    damage('Two.mp3');
    damage('One.mp3');
    await expect.poll(() => told.length).toBe(2);
    expect(told[1]!.problem).toMatch(/\/One\.mp3: write rejected/);
  });
});
