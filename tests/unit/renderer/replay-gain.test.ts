// The player's ReplayGain: which gain a track plays at in each mode, clipping prevention from its peak,
// and auto mode's album in order.
import { describe, expect, it } from 'vitest';
import {
  appliedGain,
  type GainedTrack,
  type Neighbours,
  queuedGain,
  type ReplayGain,
  replayGainOf,
} from '../../../renderer/src/replay-gain.ts';

const track = (replayGain: ReplayGain, album = 'Blue', albumArtist = 'Joni'): GainedTrack => ({
  album,
  albumArtist,
  replayGain,
});
const BOTH = { track: { db: -5.12, peak: 0.5 }, album: { db: -4.68, peak: 0.6 } };
const ALONE: Neighbours = { previous: undefined, next: undefined, shuffled: false };

describe('replayGainOf', () => {
  it('reads the gains and peaks as players write them', () => {
    expect(
      replayGainOf({
        replaygain_track_gain: '-5.12 dB',
        replaygain_track_peak: '1.028114',
        replaygain_album_gain: '+0.53 dB',
      }),
    ).toEqual({ track: { db: -5.12, peak: 1.028114 }, album: { db: 0.53, peak: null } });
  });

  it('takes a gain that is no number, and a peak that is none, for absent', () => {
    expect(
      replayGainOf({
        replaygain_track_gain: 'loud',
        replaygain_album_gain: '-1 dB',
        replaygain_album_peak: '0',
      }),
    ).toEqual({ track: null, album: { db: -1, peak: null } });
    expect(replayGainOf({})).toEqual({ track: null, album: null });
  });
});

describe('appliedGain', () => {
  it('applies nothing when off, and unity to a track without ReplayGain', () => {
    expect(appliedGain('off', track(BOTH), ALONE)).toEqual({
      kind: null,
      db: 0,
      linear: 1,
      label: 'ReplayGain off',
    });
    expect(appliedGain('album', track({ track: null, album: null }), ALONE)).toEqual({
      kind: null,
      db: 0,
      linear: 1,
      label: 'No ReplayGain for this track',
    });
  });

  it('applies the track or the album gain as asked, in linear terms', () => {
    const t = appliedGain('track', track(BOTH), ALONE);
    expect(t).toMatchObject({ kind: 'track', db: -5.12, label: 'ReplayGain: track −5.12 dB' });
    expect(t.linear).toBeCloseTo(10 ** (-5.12 / 20), 12);
    const a = appliedGain('album', track(BOTH), ALONE);
    expect(a).toMatchObject({ kind: 'album', db: -4.68, label: 'ReplayGain: album −4.68 dB' });
    expect(a.linear).toBeCloseTo(10 ** (-4.68 / 20), 12);
  });

  it('falls back to the other gain when a track lacks the one asked for', () => {
    const noAlbum = track({ track: BOTH.track, album: null });
    expect(appliedGain('album', noAlbum, ALONE)).toMatchObject({
      kind: 'track',
      db: -5.12,
      label: 'ReplayGain: track −5.12 dB (no album gain)',
    });
    const albumOnly = track({ track: null, album: BOTH.album });
    expect(appliedGain('track', albumOnly, ALONE).kind).toBe('album');
  });

  it('lowers a gain whose peak would clip to the one that brings the peak to full scale', () => {
    const quiet = track({ track: { db: 12, peak: 0.5 }, album: null });
    const raised = appliedGain('track', quiet, ALONE);
    expect(raised.linear).toBeCloseTo(2, 12);
    expect(raised.db).toBeCloseTo(6.0206, 4);
    expect(raised.label).toBe('ReplayGain: track +6.02 dB (lowered from +12.00 dB: its peak would clip)');
    // A peak above full scale lowers even a cut.
    const hot = appliedGain('track', track({ track: { db: -1, peak: 1.25 }, album: null }), ALONE);
    expect(hot.linear).toBeCloseTo(0.8, 12);
    // Without a peak there is nothing to check against; a peak raised to just under full scale is kept.
    expect(appliedGain('track', track({ track: { db: 3, peak: null }, album: null }), ALONE).db).toBe(3);
    expect(appliedGain('track', track({ track: { db: 6, peak: 0.5 }, album: null }), ALONE).db).toBe(6);
  });

  it('auto: the album gain while its album plays in order, else the track gain', () => {
    const t = track(BOTH);
    const sameAlbum = track(BOTH);
    const around = (over: Partial<Neighbours>) => ({ ...ALONE, ...over });
    expect(appliedGain('auto', t, around({ next: sameAlbum })).label).toBe(
      'ReplayGain: album −4.68 dB (auto: an album in order)',
    );
    expect(appliedGain('auto', t, around({ previous: sameAlbum })).kind).toBe('album');
    expect(appliedGain('auto', t, ALONE).label).toBe(
      'ReplayGain: track −5.12 dB (auto: not an album in order)',
    );
    expect(appliedGain('auto', t, around({ next: sameAlbum, shuffled: true })).kind).toBe('track');
    // Another album of the same name (another album artist) is another album.
    expect(appliedGain('auto', t, around({ next: track(BOTH, 'Blue', 'Weezer') })).kind).toBe('track');
    // Tracks without an album are no album.
    expect(appliedGain('auto', track(BOTH, ''), around({ next: track(BOTH, '') })).kind).toBe('track');
    // In order, but without an album gain: the track's.
    const noAlbum = track({ track: BOTH.track, album: null });
    expect(appliedGain('auto', noAlbum, around({ next: noAlbum })).label).toBe(
      'ReplayGain: track −5.12 dB (auto: an album in order; no album gain)',
    );
  });
});

describe('queuedGain', () => {
  it("decides for the queue's current track, from its neighbours in the queue", () => {
    const other = track(BOTH, 'Court and Spark');
    const items = [other, track(BOTH), track(BOTH), other];
    expect(queuedGain('auto', { items, current: 1, shuffle: false }).kind).toBe('album');
    expect(queuedGain('auto', { items, current: 2, shuffle: false }).kind).toBe('album');
    expect(queuedGain('auto', { items, current: 3, shuffle: false }).kind).toBe('track');
    expect(queuedGain('auto', { items, current: 1, shuffle: true }).kind).toBe('track');
    expect(queuedGain('track', { items, current: -1, shuffle: false })).toMatchObject({
      kind: null,
      linear: 1,
    });
  });
});
