// Ogg Vorbis and Opus through the mount: the served file carries a comment header made from the library
// (tags and cover art) in as many pages as the original's, and the original audio pages byte for byte.
// Checked with the tools players and taggers use: oggz-validate, FFmpeg (tags, identical PCM), mutagen
// (tags, cover, and saves through the mount, in place and renumbering every page).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OggKept } from '../../app/core/media/fast-readers.ts';
import { readTrack } from '../../app/core/media/read-track.ts';
import { makeImage, makeWav, mutagenTag } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import {
  expectReadsMatchWhole,
  type FileInfo,
  PY,
  pcmMd5,
  sha256,
  TestMount,
  waitFor,
} from '../mount-helpers.ts';

// What mutagen reads from a file: its tags (keys lower-cased) and its pictures' sizes and types.
const READ = `
import json, sys, mutagen
f = mutagen.File(sys.argv[1])
from mutagen.flac import Picture
import base64
pics = [Picture(base64.b64decode(v)) for v in f.tags.get('metadata_block_picture', [])]
tags = {k.lower(): v for k, v in f.tags.as_dict().items() if k.lower() != 'metadata_block_picture'}
print(json.dumps({'tags': tags, 'pictures': [[p.mime, p.type, len(p.data), p.width, p.height, p.depth] for p in pics]}))
`;
// Sets the title, and with a second argument adds that image as N front covers (so the comment needs
// more pages than the original's and mutagen renumbers every page after it).
const WRITE = `
import base64, sys, mutagen
from mutagen.flac import Picture
f = mutagen.File(sys.argv[1])
f['title'] = [sys.argv[2]]
if len(sys.argv) > 3:
    p = Picture(); p.type = 3; p.mime = 'image/png'; p.data = open(sys.argv[3], 'rb').read()
    f['metadata_block_picture'] = [base64.b64encode(p.write()).decode()] * int(sys.argv[4])
f.save()
`;

// TagLib's Python binding (Debian's python3-taglib): sets one field and saves.
const TAGLIB_WRITE = `
import sys, taglib
f = taglib.File(sys.argv[1])
f.tags[sys.argv[2]] = [sys.argv[3]]
assert not f.save()
f.close()
`;

// Moves the packets of page `sys.argv[3]` + 1 onto page `sys.argv[3]`, renumbering the pages after: with 1,
// the first audio page's packets end up on the last header page, as libVorbis 1.0 wrote them; with 0,
// the comment and setup join the identification packet on the first page.
const MERGE_PAGES = `
import sys
from mutagen.ogg import OggPage
with open(sys.argv[1], 'rb') as f:
    pages = []
    while True:
        try:
            pages.append(OggPage(f))
        except EOFError:
            break
i = int(sys.argv[3])
pages[i].packets = pages[i].packets + pages[i + 1].packets
pages[i].position = pages[i + 1].position
for p in pages[i + 2:]:
    p.sequence -= 1
with open(sys.argv[2], 'wb') as out:
    for p in pages[:i + 1] + pages[i + 2:]:
        out.write(p.write())
`;

// Sets the comment and saves (mutagen).
const SET_COMMENT = `
import sys, mutagen
f = mutagen.File(sys.argv[1])
f['comment'] = [sys.argv[2]]
f.save()
`;

// How many Ogg pages the file has, and how long its longest is.
const COUNT_PAGES = `
import sys
from mutagen.ogg import OggPage
sizes = []
with open(sys.argv[1], 'rb') as f:
    while True:
        try:
            sizes.append(len(OggPage(f).write()))
        except EOFError:
            break
print(len(sizes), max(sizes))
`;

// The file's bytes with the comment set, as a tagger about to save it would have them (mutagen on a copy).
const WITH_COMMENT = `
import os, sys, tempfile, mutagen
def with_comment(data, comment):
    with tempfile.NamedTemporaryFile(suffix='.ogg') as tmp:
        tmp.write(data)
        tmp.flush()
        f = mutagen.File(tmp.name)
        f['comment'] = [comment]
        f.save()
        return open(tmp.name, 'rb').read()
path = sys.argv[1]
`;

// kid3's Ogg Vorbis save, as its own plugin does it: the file read, then (once told) moved aside and
// written anew under its name with the comment set on what was read, then (once told) the aside removed.
const SAVE_AS_KID3 = `${WITH_COMMENT}
data = open(path, 'rb').read()
print('read', flush=True)
sys.stdin.readline()
rewrite = with_comment(data, sys.argv[2])
os.rename(path, path + '_KID3')
with open(path + '_KID3', 'rb') as aside, open(path, 'wb') as out:
    aside.read()
    out.write(rewrite)
print('written', flush=True)
sys.stdin.readline()
os.unlink(path + '_KID3')
`;

// A save that keeps the file as a backup while it writes a copy: moved aside to X.bak, the copy written as
// X.tmp (the comment set) and renamed to X, then the backup removed.
const SAVE_KEEPING_BACKUP = `${WITH_COMMENT}
rewrite = with_comment(open(path, 'rb').read(), sys.argv[2])
os.rename(path, path + '.bak')
with open(path + '.tmp', 'wb') as out:
    out.write(rewrite)
os.rename(path + '.tmp', path)
os.unlink(path + '.bak')
`;

function mutagenRead(path: string): {
  tags: Record<string, string[]>;
  /** MIME type, picture type, bytes, and the width, height and bits a pixel the block states. */
  pictures: Array<[string, number, number, number, number, number]>;
} {
  return JSON.parse(execFileSync(PY, ['-c', READ, path]).toString());
}

describe('sleeve mount: Ogg Vorbis and Opus with the library’s tags', () => {
  const t = new TestMount();
  const { dir, music, home, ids } = t;
  const cover = join(dir, 'cover.png');
  const big = join(dir, 'big.png');
  const served = (name: string) => t.served(name);
  const info = (id: number) => sleeveHereJson<FileInfo>(home, ['info', String(id), '--json']);
  /** What an inotify watcher of `folder` hears, as "EVENTS name" lines, once it watches. */
  const watch = async (folder: string) => {
    const watcher = spawn('inotifywait', ['-m', '--format', '%e %f', folder], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [events, ready] = ['', ''];
    watcher.stdout!.on('data', (d: Buffer) => {
      events += d;
    });
    watcher.stderr!.on('data', (d: Buffer) => {
      ready += d;
    });
    await waitFor('the watcher', () => (ready.includes('Watches established') ? true : undefined));
    return {
      heard: (line: string) => events.includes(`${line}\n`),
      events: () => events,
      stop: () => watcher.kill(),
    };
  };
  /** The served file's audio pages and the original's. */
  const audioPages = (path: string, name: string) => {
    const { audioStart, audioEnd } = info(ids[name]!);
    const original = readFileSync(join(music, name)).subarray(audioStart, audioEnd);
    return { audio: readFileSync(path).subarray(-original.length), original };
  };

  beforeAll(() => {
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 440, 3, 44100, 2);
    makeImage(cover, '64x48', 'red');
    makeImage(big, '400x400', 'blue');
    tool('oggenc', [
      '-Q',
      '-t',
      'Vorbis Original',
      '-a',
      'Artist',
      '-l',
      'Album',
      '-o',
      join(music, 'v.ogg'),
      wav,
    ]);
    tool('opusenc', [
      '--quiet',
      '--title',
      'Opus Original',
      '--artist',
      'Artist',
      wav,
      join(music, 'o.opus'),
    ]);
    tool('oggenc', ['-Q', '-t', 'Covered', '-o', join(music, 'c.ogg'), wav]);
    mutagenTag([
      {
        kind: 'vorbis_comments',
        path: join(music, 'c.ogg'),
        comments: [['TITLE', 'Covered']],
        picture: { path: cover, mime: 'image/png' },
      },
    ]);
    const plain = join(dir, 'plain.ogg');
    tool('oggenc', ['-Q', '-o', plain, wav]);
    execFileSync(PY, ['-c', MERGE_PAGES, plain, join(music, 'old.ogg'), '1']);
    execFileSync(PY, ['-c', MERGE_PAGES, plain, join(music, 'shared.ogg'), '0']);
    // As ffmpeg muxes Ogg: pages of up to a second each (here 5–10 KB), which TagLib lays out anew.
    const noise = join(dir, 'noise.wav');
    tool('sox', ['-n', '-r', '44100', '-c', '2', noise, 'synth', '3', 'pinknoise', 'gain', '-10']);
    tool('ffmpeg', [
      '-v',
      'error',
      '-i',
      noise,
      '-c:a',
      'libvorbis',
      '-metadata',
      'title=Big Pages',
      '-metadata',
      'album=Muxed',
      join(music, 'ff.ogg'),
    ]);
    tool('flac', ['--silent', '--ogg', '-S', '1s', '-o', join(music, 'f.oga'), wav]);
    mutagenTag([
      {
        kind: 'vorbis_comments',
        path: join(music, 'f.oga'),
        comments: [['TITLE', 'Flac Original']],
        picture: { path: cover, mime: 'image/png' },
      },
    ]);
    t.start(
      ['v.ogg', 'o.opus', 'c.ogg', 'old.ogg', 'shared.ogg', 'f.oga', 'ff.ogg'],
      [
        ['v.ogg', 'title=Édité', 'artist=One', 'artist=Two', 'tracknumber=3', 'totaltracks=12', 'date=2004'],
        ['v.ogg', 'musicbrainz_recordingid=5e1b3b6c-4b0b-4c5b-9d1c-0b1e5f0a3c2d'],
        ['o.opus', 'title=Opus Edited', 'album=Opus Album'],
        ['old.ogg', 'title=Old Edited'],
        ['shared.ogg', 'title=Shared Edited'],
        ['f.oga', 'title=Flac Edited', 'artist=One', 'artist=Two'],
      ],
    );
  });

  afterAll(() => t.stop());

  it('serves the library’s tags in valid Ogg, with the original audio pages byte for byte', () => {
    const vorbis = served('Édité.ogg');
    const opus = served('Opus Edited.opus');
    expect(mutagenRead(vorbis).tags).toMatchObject({
      title: ['Édité'],
      artist: ['One', 'Two'],
      album: ['Album'],
      tracknumber: ['3'],
      tracktotal: ['12'],
      date: ['2004'],
      musicbrainz_trackid: ['5e1b3b6c-4b0b-4c5b-9d1c-0b1e5f0a3c2d'],
    });
    expect(mutagenRead(opus).tags).toMatchObject({ title: ['Opus Edited'], album: ['Opus Album'] });
    const probe = JSON.parse(
      tool('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', opus]).toString(),
    ) as { streams: Array<{ tags: Record<string, string> }> };
    expect(probe.streams[0]!.tags.TITLE).toBe('Opus Edited');
    for (const [name, path] of [
      ['v.ogg', vorbis],
      ['o.opus', opus],
    ] as const) {
      tool('oggz-validate', [path]);
      expect(pcmMd5(path)).toBe(pcmMd5(join(music, name)));
      const { audioStart, audioEnd } = info(ids[name]!);
      const original = readFileSync(join(music, name));
      const bytes = readFileSync(path);
      expect(sha256(bytes.subarray(bytes.length - (audioEnd - audioStart)))).toBe(
        sha256(original.subarray(audioStart, audioEnd)),
      );
    }
  });

  it('serves cover art as METADATA_BLOCK_PICTURE, and a read anywhere gives the bytes of a whole read', () => {
    const path = served('Covered.ogg');
    // Its size stated with its depth, as Ogg Opus's checks ask (opusinfo: all set, or all 0).
    expect(mutagenRead(path).pictures).toEqual([['image/png', 3, readFileSync(cover).length, 64, 48, 24]]);
    expectReadsMatchWhole(path, 7);
  });

  it('shows an edit from the CLI without a remount', async () => {
    expect(sleeveHere(home, ['set', 'path:o.opus', 'title=Opus Again', '-y']).status).toBe(0);
    const path = await waitFor('the retitled file', () => served('Opus Again.opus') || undefined);
    expect(mutagenRead(path).tags.title).toEqual(['Opus Again']);
    tool('oggz-validate', [path]);
  });

  it('takes in mutagen’s saves: in place, and renumbering every page for a comment that grew', async () => {
    execFileSync(PY, ['-c', WRITE, served('Édité.ogg'), 'Saved In Place']);
    await waitFor('the in-place save', () => served('Saved In Place.ogg') || undefined);
    expect(info(ids['v.ogg']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['Saved In Place']);
    // Four 400×400 covers take the comment past the one page the original's headers have.
    execFileSync(PY, ['-c', WRITE, served('Opus Again.opus'), 'Grown', big, '4']);
    const path = await waitFor('the renumbered save', () => served('Grown.opus') || undefined);
    expect(info(ids['o.opus']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['Grown']);
    expect(sleeveHere(home, ['history']).stdout).toMatch(/written through the mount: Opus Again\.opus/);
    // The library keeps one copy of the cover; the served file carries it, in valid Ogg.
    // (mutagen wrote its size as 0: the served block states the image's own.)
    expect(mutagenRead(path).pictures).toEqual([['image/png', 3, readFileSync(big).length, 400, 400, 24]]);
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'o.opus')));
  });

  it('takes in TagLib’s in-place save of an Opus file (kid3-cli)', async () => {
    tool('kid3-cli', ['-c', 'set title "From TagLib"', served('Grown.opus')]);
    const path = await waitFor('the TagLib save', () => served('From TagLib.opus') || undefined);
    expect(info(ids['o.opus']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['From TagLib']);
    tool('oggz-validate', [path]);
    expect(sleeveHere(home, ['set', 'path:o.opus', 'title=Grown', '-y']).status).toBe(0);
    await waitFor('the title back', () => served('Grown.opus') || undefined);
  });

  it('takes in kid3’s own save of an Ogg Vorbis file: moved aside, written anew under its name, the aside removed', async () => {
    // kid3's defaults (its Ogg/FLAC plugin writes Ogg Vorbis): "X.ogg" renamed to "X.ogg_KID3"
    // (RENAME_NOREPLACE), a new "X.ogg" written whole from it, then "X.ogg_KID3" unlinked.
    const config = { XDG_CONFIG_HOME: tempDir() };
    const before = info(ids['v.ogg']!).fields.find((f) => f.key === 'artist')?.effective;
    const saved = served('Saved In Place.ogg');
    // What a media server watching the folder hears: the save as on a local disk, then its new name.
    const watcher = await watch(dirname(saved));
    try {
      tool('kid3-cli', ['-c', 'set title "From Kid3"', saved], config);
      await waitFor('the move to the new title', () =>
        watcher.heard('CLOSE_WRITE,CLOSE 03 From Kid3.ogg') ? true : undefined,
      );
    } finally {
      watcher.stop();
    }
    const events = watcher.events();
    const told = events.split('\n').filter((e) => /^(MOVED|CREATE|DELETE|CLOSE_WRITE)/.test(e));
    expect(told).toEqual([
      'MOVED_FROM 03 Saved In Place.ogg',
      'MOVED_TO 03 Saved In Place.ogg_KID3',
      'CREATE 03 Saved In Place.ogg',
      'CLOSE_WRITE,CLOSE 03 Saved In Place.ogg',
      'DELETE 03 Saved In Place.ogg_KID3',
      'MOVED_FROM 03 Saved In Place.ogg',
      'MOVED_TO 03 From Kid3.ogg',
      'CLOSE_WRITE,CLOSE 03 From Kid3.ogg',
    ]);
    const path = served('From Kid3.ogg');
    const fields = info(ids['v.ogg']!).fields;
    expect(fields.find((f) => f.key === 'title')?.effective).toEqual(['From Kid3']);
    expect(fields.find((f) => f.key === 'artist')?.effective).toEqual(before);
    // Nothing of the save is left in its folder, and the file is served whole.
    expect(readdirSync(dirname(path)).filter((n) => n.includes('Saved In Place'))).toEqual([]);
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'v.ogg')));
    expect(t.log()).toMatch(/moved .*\/03 Saved In Place\.ogg aside to 03 Saved In Place\.ogg_KID3\n/);
    expect(sleeveHere(home, ['set', 'path:v.ogg', 'title=Saved In Place', '-y']).status).toBe(0);
    await waitFor('the title back', () => served('Saved In Place.ogg') || undefined);
  });

  it('takes in kid3’s save of an Ogg Vorbis file whose audio it lays out on pages of its own (ffmpeg’s large pages)', async () => {
    const config = { XDG_CONFIG_HOME: tempDir() };
    const path = served('Big Pages.ogg');
    const pages = (file: string) => execFileSync(PY, ['-c', COUNT_PAGES, file], { encoding: 'utf8' }).trim();
    const before = pages(path);
    tool('kid3-cli', ['-c', 'set composer "Kid Three"', path], config);
    // Taken in: the composer saved (as one batch) and the file served as it was but for its tags.
    await waitFor('the save', () => (t.field('ff.ogg', 'composer')?.[0] === 'Kid Three' ? true : undefined));
    expect(t.log()).not.toMatch(/Big Pages.*write rejected/);
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'ff.ogg')));
    expect(pages(path)).toBe(before);
    // What kid3 wrote had the same packets on other pages (the reason this save was once refused).
    const copy = join(tempDir(), 'copy.ogg');
    writeFileSync(copy, readFileSync(join(music, 'ff.ogg')));
    tool('kid3-cli', ['-c', 'set composer "Kid Three"', copy], config);
    expect(pages(copy)).not.toBe(before);
  });

  it('merges a save made as kid3 makes it by field: a field edited since the file was read keeps the newer value', async () => {
    // kid3-cli takes its commands from a pipe only one at a time, with nothing to wait on between them:
    // this does what kid3's save does, with the library edited between the read and the save.
    const path = served('Saved In Place.ogg');
    const tagger = spawn(PY, ['-c', SAVE_AS_KID3, path, 'From Aside'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    tagger.stdout!.on('data', (d: Buffer) => {
      out += d;
    });
    const exited = new Promise((resolve) => tagger.on('close', resolve));
    await waitFor('the file read', () => (out.includes('read') ? true : undefined));
    expect(sleeveHere(home, ['set', 'path:v.ogg', 'genre=Edited Meanwhile', '-y']).status).toBe(0);
    tagger.stdin!.write('save\n');
    // An edit while the file is aside: the tree served then keeps it aside, for the removal to find.
    await waitFor('the rewrite written', () => (out.includes('written') ? true : undefined));
    const publishes = () => t.log().match(/library changed/g)?.length ?? 0;
    const before = publishes();
    expect(sleeveHere(home, ['set', 'path:v.ogg', 'composer=Edited Aside', '-y']).status).toBe(0);
    await waitFor('the edit served', () => (publishes() > before ? true : undefined));
    tagger.stdin!.end('remove\n');
    expect(await exited).toBe(0);
    const field = (key: string) => info(ids['v.ogg']!).fields.find((f) => f.key === key)?.effective;
    expect(field('comment')).toEqual(['From Aside']);
    expect(field('genre')).toEqual(['Edited Meanwhile']);
    expect(field('composer')).toEqual(['Edited Aside']);
    expect(readdirSync(dirname(path)).filter((n) => n.includes('KID3'))).toEqual([]);
  });

  it('takes in a save that keeps the file as a backup while it writes a copy renamed to its name', () => {
    const path = served('Saved In Place.ogg');
    execFileSync(PY, ['-c', SAVE_KEEPING_BACKUP, path, 'Kept A Backup']);
    expect(info(ids['v.ogg']!).fields.find((f) => f.key === 'comment')?.effective).toEqual(['Kept A Backup']);
    expect(readdirSync(dirname(path)).filter((n) => n.startsWith('03 Saved'))).toEqual([basename(path)]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'v.ogg')));
  });

  it('takes in a save written whole through GLib, as EasyTAG saves Ogg (gio save), by the rewrite in place GLib falls back to', async () => {
    // GLib writes a temporary file (.goutputstream-XXXXXX) to rename over the file; refused that (it is
    // named after no file), it truncates the file and writes it whole, which the mount takes in.
    const path = served('Saved In Place.ogg');
    const copy = join(dir, 'easytag.ogg');
    writeFileSync(copy, readFileSync(path));
    const label = "import sys, mutagen; f = mutagen.File(sys.argv[1]); f['label'] = ['From GLib']; f.save()";
    execFileSync(PY, ['-c', label, copy]);
    const saved = spawnSync('gio', ['save', path], { input: readFileSync(copy) });
    expect(saved.stderr.toString()).toBe('');
    expect(saved.status).toBe(0);
    expect(info(ids['v.ogg']!).fields.find((f) => f.key === 'label')?.effective).toEqual(['From GLib']);
    expect(readdirSync(dirname(path)).filter((n) => n.startsWith('.goutputstream'))).toEqual([]);
    expect(pcmMd5(served('Saved In Place.ogg'))).toBe(pcmMd5(join(music, 'v.ogg')));
    expect(t.log()).toMatch(
      /refused to create \.goutputstream-\w{6}: a new file is taken only as a tagger's rewrite/,
    );
  });

  it('refuses kid3’s save of a rewrite with other audio, serving the file as it was, and says so to watchers', async () => {
    const path = served('Saved In Place.ogg');
    const [folder, name] = [dirname(path), basename(path)];
    const before = info(ids['v.ogg']!).fields;
    const other = join(dir, 'other.ogg');
    tool('oggenc', ['-Q', '-o', other, join(dir, 'tone.wav'), '-q', '1']);
    const watcher = await watch(folder);
    try {
      renameSync(path, `${path}_KID3`);
      expect(readdirSync(folder)).toContain(`${name}_KID3`);
      writeFileSync(path, readFileSync(other));
      expect(() => unlinkSync(`${path}_KID3`)).toThrow(/EIO/);
      expect(info(ids['v.ogg']!).fields).toEqual(before);
      expect(t.log()).toMatch(
        /EIO removing 03 Saved In Place\.ogg_KID3, moved aside from 03 Saved In Place\.ogg: write rejected.*; 03 Saved In Place\.ogg is served as it was/,
      );
      // The aside name goes, and the file is told written anew at its name: a server reads it again.
      await waitFor('the file told as it was', () =>
        watcher.heard(`CLOSE_WRITE,CLOSE ${name}`) && watcher.events().indexOf(`DELETE ${name}_KID3\n`) >= 0
          ? true
          : undefined,
      );
    } finally {
      watcher.stop();
    }
    expect(readdirSync(folder).filter((n) => n.startsWith('03 Saved'))).toEqual([name]);
    expect(existsSync(`${path}_KID3`)).toBe(false);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'v.ogg')));
    // Moved aside and back, nothing is saved; a served file moves nowhere else.
    renameSync(path, `${path}.bak`);
    renameSync(`${path}.bak`, path);
    // Moved aside and removed with nothing written in its place: refused, and served under its name again.
    renameSync(path, `${path}.bak`);
    expect(() => unlinkSync(`${path}.bak`)).toThrow(/EROFS/);
    await waitFor('the file served again', () => (existsSync(`${path}.bak`) ? undefined : true));
    expect(readdirSync(folder).filter((n) => n.startsWith('03 Saved'))).toEqual([name]);
    expect(t.log()).toMatch(
      /nothing was written under 03 Saved In Place\.ogg; 03 Saved In Place\.ogg is served as it was/,
    );
    // A tagger's rename of the file from its tags (kid3) shows only EROFS: the log says why.
    expect(() => renameSync(path, join(folder, 'Elsewhere.ogg'))).toThrow(/EROFS/);
    expect(t.log()).toMatch(
      /refused moving .*03 Saved In Place\.ogg to Elsewhere\.ogg: a served file is named from its tags/,
    );
    expect(() => unlinkSync(path)).toThrow(/EROFS/);
    expect(info(ids['v.ogg']!).fields).toEqual(before);
  });

  it('puts a file moved aside back when the library moves it meanwhile, dropping the rewrite begun there', async () => {
    const path = served('Saved In Place.ogg');
    renameSync(path, `${path}_KID3`);
    writeFileSync(path, 'a rewrite begun');
    expect(sleeveHere(home, ['set', 'path:v.ogg', 'title=Moved Meanwhile', '-y']).status).toBe(0);
    const moved = await waitFor('the file at its new name', () => served('Moved Meanwhile.ogg') || undefined);
    expect(readdirSync(dirname(path)).filter((n) => n.includes('Saved In Place'))).toEqual([]);
    expect(existsSync(`${path}_KID3`)).toBe(false);
    expect(pcmMd5(moved)).toBe(pcmMd5(join(music, 'v.ogg')));
    expect(t.log()).toMatch(
      /ended 03 Saved In Place\.ogg_KID3's move aside: the library moved its file since/,
    );
    expect(sleeveHere(home, ['set', 'path:v.ogg', 'title=Saved In Place', '-y']).status).toBe(0);
    await waitFor('the title back', () => served('Saved In Place.ogg') || undefined);
  });

  it('refuses a save that changes an audio page (EIO), and changes nothing', () => {
    const path = served('Grown.opus');
    const before = info(ids['o.opus']!).fields;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from('not audio'), 0, 9, statSync(path).size - 100);
    expect(() => closeSync(fd)).toThrow(/EIO/);
    expect(info(ids['o.opus']!).fields).toEqual(before);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'o.opus')));
  });

  it('serves cover art too big for the original header pages in more pages, every audio page renumbered', async () => {
    // A noise image does not compress: ~190 KB, where the original's one header page holds ~64 KiB.
    const noise = join(dir, 'noise.png');
    tool('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'nullsrc=s=256x256,geq=random(1)*255:random(2)*255:128',
      '-frames:v',
      '1',
      noise,
    ]);
    execFileSync(PY, ['-c', WRITE, served('Saved In Place.ogg'), 'Noisy Cover', noise, '1']);
    const path = await waitFor('the save with a big cover', () => served('Noisy Cover.ogg') || undefined);
    const read = mutagenRead(path);
    expect(read.tags.title).toEqual(['Noisy Cover']);
    expect(read.pictures).toEqual([['image/png', 3, readFileSync(noise).length, 256, 256, 24]]);
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'v.ogg')));
    // The audio pages are the original's but for their sequence numbers (moved by the added pages) and CRCs.
    const { audio, original } = audioPages(path, 'v.ogg');
    expect(audio.readUInt32LE(18) - original.readUInt32LE(18)).toBeGreaterThanOrEqual(2);
    const blank = (b: Buffer) => Buffer.concat([b.subarray(0, 18), Buffer.alloc(8), b.subarray(26)]);
    expect(blank(audio.subarray(0, 4000))).toEqual(blank(original.subarray(0, 4000)));
    // Reads of any part of any page, and across the header's end, give the bytes of a whole read.
    expectReadsMatchWhole(path, 29, statSync(path).size - original.length);
    // A tagger's save of the renumbered file is taken in like any other.
    execFileSync(PY, ['-c', WRITE, path, 'Noisy Again']);
    await waitFor('the save of the renumbered file', () => served('Noisy Again.ogg') || undefined);
    expect(info(ids['v.ogg']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['Noisy Again']);
  });

  it('takes in TagLib’s save of a comment over a page’s 64 KiB, and serves it in more header pages', async () => {
    // TagLib's own Ogg writer (python3-taglib) renumbers every page after the grown comment.
    const path = served('Covered.ogg');
    execFileSync(PY, ['-c', TAGLIB_WRITE, path, 'COMMENT', 'x'.repeat(70_000)]);
    await waitFor('the TagLib save', () =>
      info(ids['c.ogg']!).fields.some((f) => f.key === 'comment') ? true : undefined,
    );
    expect(info(ids['c.ogg']!).fields.find((f) => f.key === 'comment')?.effective[0]).toHaveLength(70_000);
    await waitFor('the long comment', () =>
      mutagenRead(path).tags.comment?.[0]?.length === 70_000 ? true : undefined,
    );
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'c.ogg')));
    const { audio, original } = audioPages(path, 'c.ogg');
    expect(audio.readUInt32LE(18) - original.readUInt32LE(18)).toBe(1);
  });

  it('serves Ogg FLAC: a new VORBIS_COMMENT, the kept seek table, the cover as a PICTURE block', async () => {
    const path = served('Flac Edited.oga');
    tool('oggz-validate', [path]);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'f.oga')));
    expect(mutagenRead(path).tags).toMatchObject({ title: ['Flac Edited'], artist: ['One', 'Two'] });
    const read = await readTrack(path, new Set());
    const original = await readTrack(join(music, 'f.oga'), new Set());
    expect(read.headerKept).toMatchObject({ blocks: [58] }); // the seek table, 3 points
    expect(read.headerKept).toMatchObject({ blocks: (original.headerKept as OggKept).blocks });
    expect(read.pictures.map((p) => [p.mime, p.type, p.bytes])).toEqual([
      ['image/png', 3, readFileSync(cover).length],
    ]);
    expectReadsMatchWhole(path, 37);
    execFileSync(PY, ['-c', WRITE, path, 'Flac Saved']);
    await waitFor('the save', () => served('Flac Saved.oga') || undefined);
    expect(info(ids['f.oga']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['Flac Saved']);
  });

  it('serves a file with audio on its last header page (libVorbis 1.0), and says why it serves another as it is', async () => {
    const path = served('Old Edited.ogg');
    expect(mutagenRead(path).tags.title).toEqual(['Old Edited']);
    expect(pcmMd5(path)).toBe(pcmMd5(join(music, 'old.ogg')));
    expectReadsMatchWhole(path, 31);
    execFileSync(PY, ['-c', WRITE, path, 'Old Saved']);
    await waitFor('the save', () => served('Old Saved.ogg') || undefined);
    expect(info(ids['old.ogg']!).fields.find((f) => f.key === 'title')?.effective).toEqual(['Old Saved']);
    // A comment outgrowing the page: mutagen, then TagLib (kid3), write the audio packets that shared
    // the last header page on a page of their own (as the Wesnoth music's libVorbis 1.1 files make every
    // tagger do): the same packets, taken in.
    const comment = (text: string) => () =>
      info(ids['old.ogg']!).fields.find((f) => f.key === 'comment')?.effective?.[0] === text || undefined;
    const long = 'A comment longer than a page. '.repeat(200);
    execFileSync(PY, ['-c', SET_COMMENT, served('Old Saved.ogg'), long]);
    await waitFor('the long comment', comment(long));
    const config = { XDG_CONFIG_HOME: tempDir() };
    tool('kid3-cli', ['-c', `set comment "${long.toUpperCase()}"`, served('Old Saved.ogg')], config);
    await waitFor("kid3's comment", comment(long.toUpperCase()));
    expect(t.log()).not.toMatch(/Old Saved.*write rejected/);
    expect(pcmMd5(served('Old Saved.ogg'))).toBe(pcmMd5(join(music, 'old.ogg')));
    // The identification packet shares its page: the header cannot be replaced.
    const shared = served('Shared Edited.ogg');
    expect(sha256(readFileSync(shared))).toBe(t.originals.get('shared.ogg'));
    // Its mode says so, and a tagger setting the mode back (as libFLAC does) may set only that one.
    expect(statSync(shared).mode & 0o777).toBe(0o444);
    expect(statSync(served('Old Saved.ogg')).mode & 0o777).toBe(0o644);
    chmodSync(shared, 0o444);
    expect(() => chmodSync(shared, 0o644)).toThrow(/EROFS/);
    expect(t.log()).toContain(
      'shared.ogg: served as it is: the first Ogg page holds more than the first header packet',
    );
  });
});
