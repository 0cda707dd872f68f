// Opens a URL or a folder with the desktop's own handler (browser, file manager), detached: its exit is
// not ours. Resolves once the handler started, or to the error that kept it from starting. Used by
// `sleeve serve --open` and the mount view's "open in file manager".
import { spawn } from 'node:child_process';

/** How long xdg-open or open may run before the handler counts as started. Each returns at once, 0 when the
 *  desktop's opener took the target and non-zero when none would (xdg-open: 3 or 4 with no desktop, as on
 *  a server); xdg-open's fallback to a text browser runs until that ends. */
const STARTED_AFTER_MS = 2_000;

export function openWithDesktop(target: string): Promise<Error | null> {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [target]]
      : process.platform === 'win32'
        ? // explorer.exe, not `cmd /c start`: cmd would run what a folder name's & or | says
          ['explorer.exe', [target]]
        : ['xdg-open', [target]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.unref();
  return new Promise((resolve) => {
    child.once('error', resolve);
    // explorer.exe exits with 1 when it opened the folder: started is all it tells.
    if (process.platform === 'win32') child.once('spawn', () => resolve(null));
    else {
      const started = setTimeout(() => resolve(null), STARTED_AFTER_MS).unref();
      child.once('exit', (code, signal) => {
        clearTimeout(started);
        resolve(
          code === 0
            ? null
            : new Error(`${cmd} ${code === null ? `ended by ${signal}` : `exited with ${code}`}`),
        );
      });
    }
  });
}
