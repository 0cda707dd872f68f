// Which version of the readers read a file (files.reader_version): apart from read-track.ts, so the
// thread that records what the readers found (ingest.ts) does not load the readers themselves.
/**
 * Raised whenever the readers record something they did not before (a new format's tags, a splice fact):
 * a rescan then reads again every file an older version read, even if the file did not change (its
 * fingerprint and embedding are kept: they depend on the audio only). 1: M4A/APEv2/WAV/AIFF/Ogg FLAC
 * tags read by Sleeve (Ogg FLAC's were not read at all), FLAC's kept blocks recorded. 2: Ogg Vorbis/Opus
 * audio ranges and what a regenerated header keeps (files.header_kept); WAV/AIFF audio chunks and the
 * bytes of the chunks a regenerated header copies. 3: WavPack/Monkey's Audio audio ranges (up to the
 * trailing tags). 4: MP4 mdat ranges and what a regenerated moov keeps (or why it cannot be spliced).
 * 5: Ogg audio packets on the last header page (old libVorbis), and why an Ogg header cannot be replaced.
 * 6: Ogg FLAC audio ranges and kept metadata blocks. 7: track and disc numbers and their totals stored
 * unpadded ("05" is 5; app/shared/track-numbers.ts). 8: a total stated twice is one; ID3 TXXX frames
 * named as Vorbis comments (COMMENT, TRACKTOTAL) read as their fields. 9: every format's usual keys
 * (app/core/tags/tag-names.ts): ffmpeg's names in any key=value format (a WavPack's album_artist), Vorbis
 * names in APEv2 items and MP4 freeform atoms, ID3v2.2's sort frames, Picard's Weblink and RIFF INFO items;
 * a value stated under two names of one field is one. 10: `work` (MP4's ©wrk, ID3's TXXX:WORK). 11: ID3's
 * people lists (TMCL, TIPL, v2.3's IPLS) as performer credits and the producer, arranger, engineer and
 * mixers; writer, mixer, djmixer and director. 12: beets' second names of the numbers (TRACK, TRACKC, DISC,
 * DISCC) as the fields, and a YEAR that is the date's year as no field of its own (migration 60 keeps the
 * files that hold none of these at 12: only those are read again). 13: INITIALKEY as the key (migration 69,
 * the same way).
 */
export const READER_VERSION = 13;
