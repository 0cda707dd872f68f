// Where the mounted library's program lives. The core starts mount daemons and reports whether this machine
// can mount, but never imports fuse/ (it sits above the core): it names the daemon's script and the
// binding's files by path, here and only here (fuse/native/build.ts builds to these paths).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FUSE = new URL('../../../fuse/', import.meta.url);

/** The daemon's entry point, run as a process of its own (`node DAEMON_SCRIPT --home … MOUNTPOINT`). */
export const DAEMON_SCRIPT = fileURLToPath(new URL('daemon.ts', FUSE));
/** The N-API addon: the normal build, and the sanitized one (loaded instead when SLEEVE_FUSE_SANITIZED=1). */
export const BINDING_FILE = fileURLToPath(new URL('native/build/sleeve_fuse.node', FUSE));
export const SANITIZED_BINDING_FILE = fileURLToPath(new URL('native/build/sleeve_fuse.asan.node', FUSE));

/** The addon this process loads: the sanitized build under `npm run test:sanitize`, else the normal one. */
export function bindingFile(): string {
  return process.env.SLEEVE_FUSE_SANITIZED === '1' ? SANITIZED_BINDING_FILE : BINDING_FILE;
}

export function bindingBuilt(): boolean {
  return existsSync(bindingFile());
}
