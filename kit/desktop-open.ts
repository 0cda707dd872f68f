// Opens a URL or a folder with the desktop's own handler (browser, file manager), detached: its exit is
// not ours. Resolves once the handler started, or to the error that kept it from starting. Used by
// `sleeve serve --open` and the mount view's "open in file manager".
import { spawn } from 'node:child_process';

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
    child.once('spawn', () => resolve(null));
    child.once('error', resolve);
  });
}
