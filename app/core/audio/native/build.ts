// Builds the C units in this folder into the N-API addon the scan's analysis decodes and fingerprints
// with. `npm install` and `npm test` run it (app/cli/native-build.ts); it compiles only when the addon is
// missing or older than its source. Needs a C compiler, pkg-config, FFmpeg's and Chromaprint's headers
// (the Debian packages: app/cli/native-addons.ts).
//   node app/core/audio/native/build.ts
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  buildFromCommandLine,
  compileShared,
  isFresh,
  NativeBuildError,
  runTool,
  sourcesIn,
} from '../../../../kit/native-build.ts';
import { AUDIO_ADDON_FILE } from '../native-addon.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Compiles the addon unless it is fresh (whether it did); throws NativeBuildError saying what is missing. */
export function buildDecoder(): boolean {
  if (isFresh(AUDIO_ADDON_FILE, sourcesIn(HERE, '.c', '.h'))) return false;
  let libraries: string[];
  try {
    libraries = runTool('pkg-config', [
      '--cflags',
      '--libs',
      'libavformat',
      'libavcodec',
      'libswresample',
      'libavutil',
      'libchromaprint',
    ]).split(/\s+/);
  } catch (err) {
    throw new NativeBuildError(
      `pkg-config finds no FFmpeg or Chromaprint headers: ${(err as Error).message}`,
    );
  }
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  compileShared(AUDIO_ADDON_FILE, sourcesIn(HERE, '.c'), ['-O2', '-g', `-I${headers}`], libraries);
  return true;
}

if (import.meta.main) buildFromCommandLine(AUDIO_ADDON_FILE, buildDecoder);
