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

export function isCandidate(name: string): boolean {
  return hasAudioExtension(name) || (extname(name) === '' && !name.startsWith('.'));
}
