// The format table is the one place a format's names are declared: what the scan records, the MIME type
// it is served with, the Subsonic server's suffix, container and codec, and the name people see all read
// its row, so a format added to it reaches each of them with no other list to change.
import { describe, expect, it } from 'vitest';
import { mimeTypeOf } from '../../app/core/media/sniff.ts';
import { suffixOf } from '../../app/server/subsonic/shape.ts';
import { FORMAT_NAMES_BY_WORD, formatName } from '../../app/shared/format-names.ts';
import { AUDIO_FORMATS, FORMAT_TABLE, formatRow } from '../../app/shared/format-table.ts';

describe('the format table', () => {
  it("gives every format's names to each part that serves or shows it", () => {
    for (const format of AUDIO_FORMATS) {
      const row = FORMAT_TABLE[format];
      expect([mimeTypeOf(format), suffixOf(format), formatName(format)], format).toEqual([
        row.mime,
        row.suffix,
        row.name,
      ]);
      expect(FORMAT_NAMES_BY_WORD.get(format)).toBe(format);
    }
  });

  it('holds what each part calls a format (pinned for a few)', () => {
    expect(FORMAT_TABLE['ogg-vorbis']).toEqual({
      ...{ name: 'Vorbis', suffix: 'ogg', mime: 'audio/ogg' },
      ...{ container: 'ogg', codec: 'vorbis', demuxer: 'ogg', beets: 'OGG', picard: 'Ogg Vorbis' },
    });
    expect(FORMAT_TABLE.m4a).toEqual({
      ...{ name: 'AAC', suffix: 'm4a', mime: 'audio/mp4' },
      ...{ container: 'mp4', codec: 'aac', demuxer: 'mov', picard: 'MPEG-4 Audio' },
    });
    expect(FORMAT_TABLE.musepack.demuxer).toBe('mpc,mpc8');
    expect(AUDIO_FORMATS).toEqual([
      ...['flac', 'mp3', 'mp2', 'ogg-vorbis', 'opus', 'ogg-flac'],
      ...['m4a', 'wav', 'aiff', 'wavpack', 'ape', 'musepack'],
    ]);
  });

  it('names no row for what is not a format, not even a name objects inherit', () => {
    for (const other of ['constructor', 'toString', 'xm', '', null]) {
      expect(formatRow(other)).toBeUndefined();
      expect([mimeTypeOf(other), suffixOf(other)]).toEqual(['application/octet-stream', 'bin']);
    }
  });
});
