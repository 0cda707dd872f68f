// The one base class for "the user asked for something that cannot be done": a malformed query or template,
// an edit of an unknown field, a folder that cannot be scanned, a track with no duplicates. Entry points map
// this class alone, never a list of its kinds: the CLI prints the message (exit 1, no stack trace) and the
// RPC hub answers with the code. Any other error is a bug and is reported as internal. DOM-safe (no Node
// modules): app/shared's errors extend it and the renderer loads them.

export const USER_ERROR_CODES = ['bad_request', 'not_found', 'conflict', 'unavailable'] as const;
/** Stable across releases: the RPC contract sends it, the UI branches on it. */
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** Where in a text the user typed (a query, a template) the problem is: 0-based start, length ≥ 1; and
 *  what may stand there instead (a mistyped field's closest names), closest first, offered to the user. */
export interface TextSpan {
  readonly start: number;
  readonly length: number;
  readonly replacements?: readonly string[];
}

export class UserError extends Error {
  override name = 'UserError';
  readonly code: UserErrorCode;
  readonly span: TextSpan | undefined;

  constructor(code: UserErrorCode, message: string, span?: TextSpan) {
    super(message);
    this.code = code;
    this.span = span;
  }
}
