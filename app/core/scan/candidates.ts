// Which files a walk looks at: audio extensions, or no extension at all (those are recognized by content).
import { extname } from 'node:path';

const AUDIO_EXTENSIONS = new Set([
  '.flac',
  '.fla',
  '.mp3',
  '.mp2',
  '.ogg',
  '.oga',
  '.opus',
  '.m4a',
  '.m4b',
  '.mp4',
  '.wav',
  '.wave',
  '.aif',
  '.aiff',
  '.aifc',
  '.wv',
  '.ape',
  '.mpc',
  '.mp+',
  '.mpp',
]);

export function hasAudioExtension(name: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(name).toLowerCase());
}

/** A name isCandidate takes: an audio extension, or no dot at all (no extension, not hidden). */
export const CANDIDATE_NAME = new RegExp(
  `(\\.(${[...AUDIO_EXTENSIONS].map((e) => e.slice(1).replace('+', '\\+')).join('|')})$)|^[^.]+$`,
  'i',
);

export function isCandidate(name: string): boolean {
  return CANDIDATE_NAME.test(name);
}
