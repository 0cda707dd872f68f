// The Node flags a process that scans starts with (`sleeve scan`, `serve`, `watch`): the `sleeve` command's
// #! line gives them, app/cli/process-settings.ts re-executes a process started without them, and the
// desktop shell starts its backend with them (a test compares the #! line). Why these: process-settings.ts.
export const SCAN_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--expose-gc'];
