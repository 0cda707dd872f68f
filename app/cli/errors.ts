import { type TextSpan, UserError } from '../../kit/user-error.ts';

/** Bad command-line usage: exit code 2 with the command's usage line. */
export class UsageError extends UserError {
  override name = 'UsageError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** An expected failure the CLI itself finds (a missing track, no FUSE here): exit code 1, no stack trace. */
export class CliError extends UserError {
  override name = 'CliError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** An error in a typed text (a template) as a usage error, the place marked under the text as typed. */
export function markedUsageError(option: string, text: string, message: string, span: TextSpan): UsageError {
  return new UsageError(
    `${option}: ${message}\n  ${text}\n  ${' '.repeat(span.start)}${'^'.repeat(span.length)}`,
  );
}
