// Loudness as a new user meets it: a scan measures every track, `sleeve loudness` agrees with Debian's
// loudgain (libebur128) within 0.1 dB in every format, and the mount serves ReplayGain in each format's
// convention — the file's own where it carries some — with no original touched; album figures follow an
// edit that moves a track between albums.
import { spawnSync } from 'node:child_process';
import { copyFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { albumLoudnessBehind } from '../../app/core/library/album-loudness.ts';
import { albumYearsBehind } from '../../app/core/library/album-years.ts';
import { feedPosition } from '../../app/core/library/change-feed.ts';
import { Derivation } from '../../app/core/library/derivation.ts';
import { analyzeLibrary } from '../../app/core/scan/analysis.ts';
import { formatGain } from '../../app/shared/gain.ts';
import { ffmpegEncode, run, synthesize } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { findServed, PY, unmountChecked, waitFor } from '../mount-helpers.ts';

interface Facts {
  id: number;
  path: string;
  status: string | null;
  integrated: number | null;
  truePeak: number | null;
  trackGain: number | null;
  album: { name: string; artist: string; tracks: number; gain: number; peak: number } | null;
  served: string;
  warning: string | null;
}

/** Pink noise (its level and channels vary by file), encoded with ffmpeg and tagged with an album. */
function noise(
  dir: string,
  name: string,
  o: { vol: number; album: string; codec: string[]; rate?: number; channels?: number; seconds?: number },
) {
  const wav = join(dir, `${name}.src.wav`);
  synthesize(wav, { rate: o.rate, channels: o.channels, bits: 24 }, [
    o.seconds ?? 4,
    'pinknoise',
    'tremolo',
    0.5,
    60,
    'vol',
    o.vol,
  ]);
  ffmpegEncode(wav, join(dir, name), o.codec, {
    album: o.album,
    album_artist: 'Tester',
    title: name.split('.')[0]!,
  });
  run('rm', [wav]);
}

/** Each served file's ReplayGain and R128 tags as mutagen reads them, names without their frame prefixes. */
const READ_GAIN = `
import json, sys, mutagen
out = {}
for path in sys.argv[1:]:
    tags = mutagen.File(path).tags or {}
    got = {}
    for key in tags.keys():
        name = key.split(':')[-1].lower()
        if 'replaygain' in name or 'r128' in name:
            v = tags[key]
            v = v.text if hasattr(v, 'text') else v
            v = v if isinstance(v, list) else [v]
            got[name] = [x.decode() if isinstance(x, bytes) else str(x) for x in v][0]
    out[path] = got
print(json.dumps(out))
`;

// An MP4 file's ReplayGain atoms, as named.
const MP4_GAIN_NAMES = `
import sys, mutagen
print('\\n'.join(sorted(k for k in mutagen.File(sys.argv[1]).tags.keys() if 'replaygain' in k.lower())))
`;

describe('loudness', () => {
  const dir = tempDir();
  const lib = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let originals: Map<string, string>;
  let facts: Map<string, Facts>;

  // Albums are tiles of the album grid (album artist + album): ffmpeg writes no album artist to WAV, so
  // it is an album of its own beside the M4A's and the WavPack's (APEv2 "album_artist", read as such).
  const FILES = {
    'loud.flac': { vol: 0.9, album: 'Loud', codec: ['-c:a', 'flac'] },
    'loud.mp3': { vol: 0.5, album: 'Loud', codec: ['-c:a', 'libmp3lame', '-b:a', '192k'] },
    'loud.ogg': { vol: 0.7, album: 'Loud', codec: ['-c:a', 'libvorbis'] },
    'own.flac': { vol: 0.6, album: 'Loud', codec: ['-c:a', 'flac'] },
    'quiet.m4a': { vol: 0.1, album: 'Quiet', codec: ['-c:a', 'aac', '-b:a', '160k'] },
    'quiet.wv': { vol: 0.2, album: 'Quiet', codec: ['-c:a', 'wavpack'] },
    'quiet.wav': { vol: 0.15, album: 'Quiet', codec: ['-c:a', 'pcm_s16le'] },
    'alone.opus': { vol: 0.3, album: 'Opus', codec: ['-c:a', 'libopus'], rate: 48000 },
    'mono.flac': { vol: 0.4, album: 'Odd', codec: ['-c:a', 'flac'], channels: 1 },
    'surround.flac': { vol: 0.3, album: 'Odd', codec: ['-c:a', 'flac'], channels: 6, rate: 48000 },
    'hires.flac': { vol: 0.4, album: 'Odd', codec: ['-c:a', 'flac'], rate: 192000 },
    'short.flac': { vol: 0.4, album: 'Odd', codec: ['-c:a', 'flac'], seconds: 0.3 },
    'silent.flac': { vol: 0, album: 'Odd', codec: ['-c:a', 'flac'] },
  };
  const measured = Object.keys(FILES).filter((f) => f !== 'short.flac' && f !== 'silent.flac');

  const readFacts = () =>
    new Map(
      sleeveHereJson<Facts[]>(home, ['loudness', '--json', '--all-copies']).map((f) => [
        f.path.split('/').pop()!,
        f,
      ]),
    );

  beforeAll(() => {
    run('mkdir', ['-p', lib]);
    for (const [name, o] of Object.entries(FILES)) noise(lib, name, o);
    // A file that carries ReplayGain of its own: it is served as it is, never the measured figures.
    run('metaflac', ['--set-tag=REPLAYGAIN_TRACK_GAIN=-3.00 dB', join(lib, 'own.flac')]);
    // A file cut short, as a failed copy leaves it: measured from what decodes, and said to be damaged.
    const cutFile = join(lib, 'cut.flac');
    copyFileSync(join(lib, 'mono.flac'), cutFile);
    run('metaflac', ['--remove-tag=TITLE', '--set-tag=TITLE=cut', cutFile]);
    truncateSync(cutFile, statSync(cutFile).size >> 1);
    originals = hashTree(lib);
    const scan = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toContain('14 measured for loudness');
    facts = readFacts();
  }, 120_000);

  afterAll(() => {
    unmountChecked(home, mnt, lib, originals);
  });

  it('measures every format as loudgain does: gain and true peak within 0.1 dB', () => {
    const paths = measured.map((f) => join(lib, f));
    const lines = tool('loudgain', ['-O', '-q', ...paths])
      .toString()
      .trim()
      .split('\n')
      .slice(1);
    expect(lines).toHaveLength(measured.length);
    for (const line of lines) {
      const [file, loudness, , , peakDb] = line.split('\t');
      const f = facts.get(file!.split('/').pop()!)!;
      expect(f.status, file).toBe('ok');
      expect(Math.abs(f.integrated! - Number.parseFloat(loudness!)), file).toBeLessThanOrEqual(0.1);
      expect(Math.abs(20 * Math.log10(f.truePeak!) - Number.parseFloat(peakDb!)), file).toBeLessThanOrEqual(
        0.1,
      );
      expect(f.trackGain).toBeCloseTo(-18 - f.integrated!, 9);
    }
  });

  it('measures an album as loudgain -a does, within 0.1 dB', () => {
    const loud = ['loud.flac', 'loud.mp3', 'loud.ogg', 'own.flac'];
    const album = tool('loudgain', ['-a', '-O', '-q', ...loud.map((f) => join(lib, f))])
      .toString()
      .trim()
      .split('\n')
      .find((l) => l.startsWith('Album'))!
      .split('\t');
    for (const f of loud) {
      expect(facts.get(f)!.album).toMatchObject({ name: 'Loud', tracks: 4 });
      expect(Math.abs(facts.get(f)!.album!.gain - Number.parseFloat(album[8]!))).toBeLessThanOrEqual(0.1);
    }
  });

  it('says what it could not measure (silence, a file under 400 ms), and a figure from a damaged file', () => {
    expect(facts.get('silent.flac')).toMatchObject({ status: 'silent', trackGain: null, served: 'none' });
    expect(facts.get('short.flac')).toMatchObject({ status: 'too_short', trackGain: null, served: 'none' });
    expect(sleeveHere(home, ['loudness', 'path:short']).stdout).toContain('too short to measure');
    const cut = facts.get('cut.flac')!;
    expect(cut).toMatchObject({ status: 'ok', served: 'measured' });
    expect(cut.warning).toMatch(/^truncated/);
    expect(sleeveHere(home, ['loudness', 'path:cut']).stdout).toContain(
      `of what decodes of a damaged file: sleeve info ${cut.id}]`,
    );
    // `info` says the damage itself, above: it does not send the user to the command just run.
    expect(sleeveHere(home, ['info', String(cut.id)]).stdout).toContain(
      'of what decodes of a damaged file, as its status says]',
    );
  });

  it('finds tracks by their measured gain, and lists it', () => {
    const quietest = [...facts.values()].filter((f) => f.trackGain !== null && f.trackGain > 10);
    expect(quietest.length).toBeGreaterThan(0);
    const listed = sleeveHere(home, [
      'ls',
      '--all-copies',
      'replaygain_track_gain:10..',
      '-f',
      '$id $replaygain_track_gain',
    ]);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(
      quietest.map((f) => `${f.id} ${formatGain(f.trackGain!)}`).sort(),
    );
    // An exact value, as the listing shows it ("dB" and all), finds its file.
    const one = quietest[0]!;
    const exact = sleeveHere(home, [
      'ls',
      '--all-copies',
      `replaygain_track_gain:="${formatGain(one.trackGain!)}"`,
      '-f',
      '$id',
    ]);
    expect(exact.stdout.trim().split('\n')).toContain(String(one.id));
  });

  it('sorts by ReplayGain as a number, the measured where a file carries none of its own', () => {
    const byGain = (field: string) =>
      sleeveHere(home, ['ls', '--all-copies', `${field}+`, '-f', '$path'])
        .stdout.trim()
        .split('\n')
        .map((p) => p.split('/').pop());
    const gainOf = (f: string) => (f === 'own.flac' ? -3 : facts.get(f)!.trackGain!);
    // Ascending, the silent and the too short (no gain) last.
    expect(byGain('replaygain_track_gain')).toEqual([
      ...[...measured, 'cut.flac'].sort((a, b) => gainOf(a) - gainOf(b)),
      'short.flac',
      'silent.flac',
    ]);
    const albums = byGain('replaygain_album_gain');
    expect(albums.indexOf('loud.flac')).toBeLessThan(albums.indexOf('quiet.wv'));
  });

  it('leaves the album years caught up as it measures: what only loudness changed is not looked at again', async () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      // Every file to measure again, every album's figures to make, as a first scan finds them.
      db.prepare('DELETE FROM loudness').run();
      db.prepare('DELETE FROM album_loudness').run();
      const before = feedPosition(db);
      const measuring = {
        workers: 1,
        scope: 'all',
        fingerprint: false,
        embed: false,
        loudness: true,
      } as const;
      expect((await analyzeLibrary(db, measuring)).measured).toBe(14);
      // Each file measured with a figure (the cut one too; the silent and the short have none) moved in
      // the change feed, and the album years' position with them.
      expect(feedPosition(db)).toBe(before + measured.length + 1);
      expect(albumYearsBehind(db)).toBe(false);
      // The album figures that follow move the files again: still nothing for the album years.
      const measuredAt = feedPosition(db);
      const derivation = new Derivation(db);
      while (derivation.albumRound() > 0);
      expect(albumLoudnessBehind(db)).toBe(false);
      expect(feedPosition(db)).toBeGreaterThan(measuredAt);
      expect(albumYearsBehind(db)).toBe(false);
    } finally {
      db.close();
    }
  });

  it("serves ReplayGain through the mount in each format's convention, the file's own where it has some", () => {
    const mount = sleeveHere(home, ['mount', mnt]);
    expect(mount.status, mount.stderr).toBe(0);
    const paths = Object.keys(FILES).map((f) => findServed(mnt, f));
    const read = JSON.parse(tool(PY, ['-c', READ_GAIN, ...paths]).toString()) as Record<
      string,
      Record<string, string>
    >;
    const tagsOf = (f: string) => read[findServed(mnt, f)]!;
    for (const f of measured.filter((f) => f !== 'own.flac' && f !== 'alone.opus')) {
      const m = facts.get(f)!;
      const expected: Record<string, string> = {
        replaygain_track_gain: formatGain(m.trackGain!),
        replaygain_track_peak: m.truePeak!.toFixed(6),
      };
      if (m.album) {
        expected.replaygain_album_gain = formatGain(m.album.gain);
        expected.replaygain_album_peak = m.album.peak.toFixed(6);
      }
      expect(tagsOf(f), f).toEqual(expected);
    }
    const opus = facts.get('alone.opus')!;
    expect(tagsOf('alone.opus')).toEqual({
      r128_track_gain: String(Math.round((-23 - opus.integrated!) * 256)),
      // Toward -23 LUFS: the ReplayGain less 5 dB, in 1/256 dB.
      r128_album_gain: String(Math.round((opus.album!.gain - 5) * 256)),
    });
    expect(tagsOf('own.flac')).toEqual({ replaygain_track_gain: '-3.00 dB' });
    // FFmpeg, the engine of mpv and most players on Linux, plays what it reads there at -18 LUFS.
    for (const f of ['loud.flac', 'loud.mp3']) {
      const args = [
        '-nostdin',
        '-i',
        findServed(mnt, f),
        '-af',
        'volume=replaygain=track,ebur128',
        '-f',
        'null',
        '-',
      ];
      const summary = spawnSync('ffmpeg', args, { encoding: 'utf8' }).stderr.split('Summary:')[1]!;
      expect(Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]), f).toBeCloseTo(-18, 0);
    }
    expect(tagsOf('silent.flac')).toEqual({});
    expect(tagsOf('short.flac')).toEqual({});
  });

  it("follows an edit that moves a track to another album: both albums' figures change, in the mount too", async () => {
    const before = facts.get('quiet.m4a')!.album!;
    expect(sleeveHere(home, ['set', 'path:loud.mp3', 'album=Quiet', '-y']).status).toBe(0);
    const after = readFacts();
    expect(after.get('quiet.m4a')!.album!.tracks).toBe(before.tracks + 1);
    expect(after.get('quiet.m4a')!.album!.gain).toBeLessThan(before.gain);
    expect(after.get('loud.flac')!.album!.tracks).toBe(3);
    // The M4A's album grew: its served album gain moves from the old figure to the new one.
    const m4a = findServed(mnt, 'quiet.m4a');
    expect(formatGain(after.get('quiet.m4a')!.album!.gain)).not.toBe(formatGain(before.gain));
    await waitFor('the mount to serve the Quiet album’s new gain', () => {
      const read = JSON.parse(tool(PY, ['-c', READ_GAIN, m4a]).toString()) as Record<
        string,
        Record<string, string>
      >;
      return read[m4a]!.replaygain_album_gain === formatGain(after.get('quiet.m4a')!.album!.gain)
        ? true
        : undefined;
    });
    // Its atoms named as foobar2000 and beets write them (docs/loudness.md): lower case.
    const names = tool(PY, ['-c', MP4_GAIN_NAMES, m4a]).toString().trim().split('\n');
    expect(names).toEqual([
      '----:com.apple.iTunes:replaygain_album_gain',
      '----:com.apple.iTunes:replaygain_album_peak',
      '----:com.apple.iTunes:replaygain_track_gain',
      '----:com.apple.iTunes:replaygain_track_peak',
    ]);
    // And the album it left: loud.flac's served album gain is the three tracks' now.
    const flac = findServed(mnt, 'loud.flac');
    const left = JSON.parse(tool(PY, ['-c', READ_GAIN, flac]).toString()) as Record<
      string,
      Record<string, string>
    >;
    expect(left[flac]!.replaygain_album_gain).toBe(formatGain(after.get('loud.flac')!.album!.gain));
    expect(after.get('loud.flac')!.album!.gain).not.toBeCloseTo(facts.get('loud.flac')!.album!.gain, 2);
  });

  it('follows a tagger moving a track through the mount, with no other process running', async () => {
    const m4a = findServed(mnt, 'quiet.m4a');
    const albumGain = () =>
      (JSON.parse(tool(PY, ['-c', READ_GAIN, m4a]).toString()) as Record<string, Record<string, string>>)[
        m4a
      ]!.replaygain_album_gain;
    const was = albumGain();
    tool(PY, [
      '-c',
      'import sys, mutagen; f = mutagen.File(sys.argv[1]); f["album"] = ["Quiet"]; f.save()',
      findServed(mnt, 'loud.ogg'),
    ]);
    // Read before any `sleeve` command runs: the daemon's own save brought the album's figures up to date.
    const now = await waitFor('the mount to serve the grown album’s gain', () => {
      const gain = albumGain();
      return gain !== was ? gain : undefined;
    });
    const facts = readFacts();
    // The M4A, the WavPack, the MP3 the edit above moved, and now the Ogg.
    expect(facts.get('quiet.m4a')!.album!.tracks).toBe(4);
    expect(now).toBe(formatGain(facts.get('quiet.m4a')!.album!.gain));
  });

  it('leaves a file with no ReplayGain once an edit clears its own: the measured figures never replace yours', async () => {
    const own = findServed(mnt, 'own.flac');
    const served = () =>
      (JSON.parse(tool(PY, ['-c', READ_GAIN, own]).toString()) as Record<string, Record<string, string>>)[
        own
      ]!;
    // What a tagger removing the tag through the mount does, too.
    const set = sleeveHere(home, ['set', 'path:own.flac', 'replaygain_track_gain=', '-y']);
    expect(set.status, set.stderr).toBe(0);
    expect(readFacts().get('own.flac')!.served).toBe('file');
    await waitFor('its own gain gone', () =>
      served().replaygain_track_gain !== '-3.00 dB' ? true : undefined,
    );
    expect(served().replaygain_track_peak).toBeUndefined();
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    await waitFor('its own gain served again', () =>
      served().replaygain_track_gain === '-3.00 dB' ? true : undefined,
    );
    expect(served()).toEqual({ replaygain_track_gain: '-3.00 dB' });
  });

  const servedGain = (f: string) => {
    const path = findServed(mnt, f);
    return (
      JSON.parse(tool(PY, ['-c', READ_GAIN, path]).toString()) as Record<string, Record<string, string>>
    )[path]!;
  };
  /** The audio a player decodes, as FFmpeg's MD5 of its samples. */
  const audioMd5 = (path: string) => tool('ffmpeg', ['-v', 'error', '-i', path, '-f', 'md5', '-']).toString();

  it("serves the measured figures in place of a track's own once chosen for it, and its own again", async () => {
    const own = facts.get('own.flac')!;
    const ownMeasured = {
      replaygain_track_gain: formatGain(own.trackGain!),
      replaygain_track_peak: own.truePeak!.toFixed(6),
    };
    // Shown first, and not made without confirmation.
    const unconfirmed = sleeveHere(home, ['loudness', 'path:own.flac', '--prefer', 'measured']);
    expect(unconfirmed.status).not.toBe(0);
    expect(unconfirmed.stdout).toContain('own.flac');
    expect(unconfirmed.stderr).toContain('pass -y');
    expect(servedGain('own.flac')).toEqual({ replaygain_track_gain: '-3.00 dB' });
    expect(sleeveHere(home, ['loudness', 'path:own.flac', '--prefer', 'louder', '-y']).stderr).toContain(
      '--prefer is one of measured, own, default',
    );

    const chosen = sleeveHere(home, ['loudness', 'path:own.flac', '--prefer', 'measured', '-y']);
    expect(chosen.status, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain('1 changed what players get');
    await waitFor('the measured gain served', () =>
      servedGain('own.flac').replaygain_track_gain === ownMeasured.replaygain_track_gain ? true : undefined,
    );
    expect(servedGain('own.flac')).toMatchObject(ownMeasured);
    expect(audioMd5(findServed(mnt, 'own.flac'))).toBe(audioMd5(join(lib, 'own.flac')));
    const now = readFacts().get('own.flac')!;
    expect(now).toMatchObject({ served: 'measured', source: 'measured', chosen: true });
    // Listings and queries show what players get: the file's own gain no longer matches.
    const ownQuery = sleeveHere(home, ['ls', '--json', 'replaygain_track_gain:"-3.00 dB"']);
    expect(ownQuery.stdout).not.toContain('own.flac');
    const listed = sleeveHereJson<Array<{ path: string; tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      'path:own.flac',
    ]);
    expect(listed[0]!.tags.replaygain_track_gain).toEqual([ownMeasured.replaygain_track_gain]);

    expect(sleeveHere(home, ['loudness', 'path:own.flac', '--prefer', 'default', '-y']).status).toBe(0);
    await waitFor('its own gain served again', () =>
      servedGain('own.flac').replaygain_track_gain === '-3.00 dB' ? true : undefined,
    );
    expect(readFacts().get('own.flac')).toMatchObject({ served: 'file', source: 'own', chosen: false });
  });

  it('makes the measured figures the library’s default, and mpv then plays two albums at even loudness', async () => {
    const wide = sleeveHere(home, ['loudness', '--default', 'measured', '-y']);
    expect(wide.status, wide.stderr).toBe(0);
    expect(wide.stdout).toContain('1 track(s) changed what players get');
    await waitFor('the measured gain served by default', () =>
      servedGain('own.flac').replaygain_album_gain !== undefined ? true : undefined,
    );
    const now = readFacts();
    expect(now.get('own.flac')).toMatchObject({ served: 'measured', source: 'measured', chosen: false });
    // mpv, as a listener plays an album: its album gain applied, each album's output measured whole.
    const albums = new Map<string, string[]>();
    for (const [file, f] of now) {
      const album = f.album && `${f.album.artist}/${f.album.name}`;
      if (album) albums.set(album, [...(albums.get(album) ?? []), file]);
    }
    const played = ['Tester/Loud', 'Tester/Quiet'].map((album) => {
      const outs = albums.get(album)!.map((file, i) => {
        const out = join(dir, `mpv-${album.replace('/', '-')}-${i}.wav`);
        tool('mpv', [
          '--no-config',
          '--no-video',
          '--replaygain=album',
          '--ao=pcm',
          `--ao-pcm-file=${out}`,
          '--audio-samplerate=48000',
          '--audio-channels=stereo',
          '--audio-format=s16',
          findServed(mnt, file),
        ]);
        return out;
      });
      const concat = outs.flatMap((o) => ['-i', o]);
      const filter = `${outs.map((_, i) => `[${i}:a]`).join('')}concat=n=${outs.length}:v=0:a=1,ebur128`;
      const ffmpeg = spawnSync(
        'ffmpeg',
        ['-nostdin', ...concat, '-filter_complex', filter, '-f', 'null', '-'],
        {
          encoding: 'utf8',
        },
      );
      // The last summary: the filter graph set up again as the inputs open says one of nothing first.
      return Number(/I:\s+(-?[\d.]+) LUFS/.exec(ffmpeg.stderr.split('Summary:').at(-1)!)![1]);
    });
    expect(played[0]).toBeCloseTo(-18, 0);
    expect(played[1]).toBeCloseTo(-18, 0);
    expect(Math.abs(played[0]! - played[1]!)).toBeLessThan(0.5);

    expect(sleeveHere(home, ['loudness', '--default', 'own', '-y']).status).toBe(0);
    await waitFor('its own gain served again', () =>
      servedGain('own.flac').replaygain_track_gain === '-3.00 dB' ? true : undefined,
    );
  });

  it('reads back what a tagger wrote through the mount, even over the measured figures chosen for the file', async () => {
    expect(sleeveHere(home, ['loudness', 'path:own.flac', '--prefer', 'measured', '-y']).status).toBe(0);
    await waitFor('the measured gain served', () =>
      servedGain('own.flac').replaygain_track_gain !== '-3.00 dB' ? true : undefined,
    );
    const own = findServed(mnt, 'own.flac');
    tool(PY, [
      '-c',
      'import sys, mutagen; f = mutagen.File(sys.argv[1]); f["replaygain_track_gain"] = "-5.00 dB"; f.save()',
      own,
    ]);
    await waitFor('the tagger’s gain served', () =>
      servedGain('own.flac').replaygain_track_gain === '-5.00 dB' ? true : undefined,
    );
    expect(readFacts().get('own.flac')).toMatchObject({ served: 'file', source: 'own', chosen: true });
  });
});
