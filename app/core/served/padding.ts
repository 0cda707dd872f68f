// How much padding a regenerated header carries (docs/tag-formats.md: Padding and taggers writing through the
// mount). Taggers rewrite a file in place and move the audio only when the new tag does not fit the old
// padding, or when it would leave "too much" padding:
// - mutagen (Picard, beets) keeps leftover padding up to 10 KiB + 1 % of the audio;
// - TagLib keeps it up to clamp(1 % of the file, floor, 1 MiB), floor being 4096 (FLAC) or 1024 (ID3).
// TagLib's window is the narrower one. Aiming at half of it lets an edit grow or shrink the tag by about
// as much before the audio moves; `floor + 0.5 %` is that point for files above a few hundred KiB, while
// small files get the floor (growth is the usual edit). The audio length stands in for the file length:
// the file is longer, so TagLib's real window is only wider.

const MIB = 1024 * 1024;

export function paddingFor(audioBytes: number, floor: number): number {
  const taglibLimit = Math.min(Math.max(Math.floor(audioBytes / 100), floor), MIB);
  return Math.min(floor + Math.floor(audioBytes / 200), taglibLimit, MIB / 2);
}
