// The Subsonic server's pure parts: XML that holds any tag text, ids that are only ids, what a stream
// request asks for, and the window of failed logins.
import { describe, expect, it } from 'vitest';
import { FailedLogins } from '../../../app/server/subsonic/auth.ts';
import { streamPlan } from '../../../app/server/subsonic/binary.ts';
import { SubsonicError } from '../../../app/server/subsonic/errors.ts';
import { parseId } from '../../../app/server/subsonic/ids.ts';
import { Params } from '../../../app/server/subsonic/params.ts';
import { okBody, pieces, render, Streamed } from '../../../app/server/subsonic/response.ts';

describe('answers', () => {
  it('writes XML any tag text fits in: escaped, control characters replaced, lists repeated', () => {
    const { text, type } = render(
      'xml',
      okBody({
        song: {
          title: 'a<b & "c"\nd\u0001e',
          isrc: ['X1', 'X2'],
          genres: [{ name: 'Rock' }],
          skipped: undefined,
        },
        genre: { value: 'Pop & <Soul>', songCount: 2 },
      }),
    );
    expect(type).toBe('text/xml; charset=utf-8');
    expect(text).toContain(
      '<song title="a&lt;b &amp; &quot;c&quot;&#10;d\ufffde"><isrc>X1</isrc><isrc>X2</isrc><genres name="Rock"/></song>',
    );
    expect(text).toContain('<genre songCount="2">Pop &amp; &lt;Soul&gt;</genre>');
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<subsonic-response xmlns="http:\/\/subsonic.org\/restapi" status="ok" version="1.16.1" type="Sleeve"/,
    );
  });

  it('writes JSON under subsonic-response', () => {
    const { text } = render('json', okBody({ ping: {} }));
    expect(JSON.parse(text)['subsonic-response']).toMatchObject({
      status: 'ok',
      openSubsonic: true,
      ping: {},
    });
  });
});

describe('streamed answers', () => {
  const body = (shaped: number[]) =>
    okBody({
      searchResult3: {
        artist: [],
        song: new Streamed([1, 2, 3, 4], (n) => {
          shaped.push(n);
          return { id: `tr-${n}`, title: `<${n}>` };
        }),
        album: new Streamed([], () => ({})),
      },
    });
  const eager = okBody({
    searchResult3: {
      artist: [],
      song: [1, 2, 3, 4].map((n) => ({ id: `tr-${n}`, title: `<${n}>` })),
      album: [],
    },
  });

  it('writes a Streamed list as the list it stands for, in JSON and XML', () => {
    for (const format of ['json', 'xml'] as const)
      expect(render(format, body([])).text, format).toBe(render(format, eager).text);
  });

  it('shapes each item only as its piece is taken', () => {
    for (const format of ['json', 'xml'] as const) {
      const shaped: number[] = [];
      const text = pieces(format, body(shaped)).pieces;
      let taken = '';
      while (!taken.includes('tr-1')) taken += text.next().value;
      expect(shaped, format).toEqual([1]);
      while (!taken.includes('tr-3')) taken += text.next().value;
      expect(shaped, format).toEqual([1, 2, 3]);
    }
  });
});

describe('ids', () => {
  it('takes a kind and a number or a 16-digit hash, and nothing else', () => {
    expect(parseId('tr-12')).toEqual({ kind: 'tr', value: '12' });
    expect(parseId('al-0123456789abcdef', ['al'])).toEqual({ kind: 'al', value: '0123456789abcdef' });
    for (const bad of [
      'tr-0',
      'tr-012',
      'tr-1.5',
      'tr--1',
      'al-0123',
      'al-0123456789ABCDEF',
      'x-1',
      '../tr-1',
      'tr-1/',
      '',
    ])
      expect(() => parseId(bad), bad).toThrow(SubsonicError);
    expect(() => parseId('tr-1', ['al'])).toThrow('"tr-1" is not the id of an album of this server');
  });
});

describe('stream requests', () => {
  const plan = (query: string, file = { format: 'flac', bitrate: 900_000, duration: 200 }) =>
    streamPlan(new Params(new URLSearchParams(query)), file);

  it('sends the original unless a format, a lower bit rate or an offset asks for a transcode', () => {
    expect(plan('')).toEqual({ kind: 'original' });
    expect(plan('format=raw&maxBitRate=64')).toEqual({ kind: 'original' });
    expect(plan('format=flac')).toEqual({ kind: 'original' });
    expect(plan('maxBitRate=1000')).toEqual({ kind: 'original' });
    expect(plan('maxBitRate=0')).toEqual({ kind: 'original' });
    expect(plan('maxBitRate=128')).toMatchObject({ kind: 'transcode', format: 'mp3', startS: 0 });
    expect(plan('format=opus&maxBitRate=96')).toMatchObject({
      kind: 'transcode',
      format: 'opus',
      output: { mime: 'audio/ogg', args: expect.arrayContaining(['96k']) },
    });
    expect(plan('timeOffset=30.5')).toMatchObject({ kind: 'transcode', format: 'mp3', startS: 30.5 });
    // A bit rate outside what the encoders take is brought within it.
    expect(plan('format=mp3&maxBitRate=8')).toMatchObject({
      output: { args: expect.arrayContaining(['32k']) },
    });
  });

  it('refuses a format it does not write and a malformed offset', () => {
    expect(() => plan('format=wma')).toThrow(/not one Sleeve streams/);
    expect(() => plan('timeOffset=abc')).toThrow(/"timeOffset"/);
    expect(() => plan('maxBitRate=-1')).toThrow(/"maxBitRate"/);
    expect(() => plan('maxBitRate=128.5')).toThrow(/"maxBitRate" must be a whole number from 0/);
    // Past the end there is no audio to send: said, not a stream of a tag alone.
    expect(() => plan('timeOffset=200')).toThrow(
      'timeOffset 200 s is past the end of the track (200 s long)',
    );
    expect(plan('timeOffset=199.5')).toMatchObject({ startS: 199.5 });
  });

  it('takes a whole number written with a zero fraction or leading zeros, as a float or a padded id', () => {
    expect(plan('maxBitRate=128.0')).toMatchObject({ output: { args: expect.arrayContaining(['128k']) } });
    expect(plan('maxBitRate=0128')).toMatchObject({ output: { args: expect.arrayContaining(['128k']) } });
  });
});

describe('failed logins', () => {
  it('refuses an address past its failures until the window has passed; others go on', () => {
    const logins = new FailedLogins(2, 1000);
    logins.fail('10.0.0.1', 0);
    logins.check('10.0.0.1', 10);
    logins.fail('10.0.0.1', 20);
    expect(() => logins.check('10.0.0.1', 30)).toThrow(
      /too many failed logins from 10.0.0.1: try again in 1 s/,
    );
    logins.check('10.0.0.2', 30);
    logins.check('10.0.0.1', 1000);
    // The window passed: counting starts again.
    logins.fail('10.0.0.1', 1001);
    logins.check('10.0.0.1', 1002);
  });
});
