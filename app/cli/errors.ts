/** Bad command-line usage: exit code 2 with the command's usage line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected failure with a message meant for the user: exit code 1, no stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}
