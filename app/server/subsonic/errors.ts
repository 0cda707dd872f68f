// The protocol's errors: a code from its table (OpenSubsonic's api-reference: 0 generic, 10 a required
// parameter missing, 40 wrong username or password, 41 token authentication not supported, 42 an
// authentication mechanism not supported, 43 conflicting mechanisms, 44 an invalid API key, 50 not
// authorized, 70 not found) and a message for the user. A client shows the message as it is.
export const ERROR = {
  generic: 0,
  missing: 10,
  wrongPassword: 40,
  mechanismNotSupported: 42,
  conflictingMechanisms: 43,
  invalidApiKey: 44,
  notAuthorized: 50,
  notFound: 70,
} as const;

export type ErrorCode = (typeof ERROR)[keyof typeof ERROR];

export class SubsonicError extends Error {
  override name = 'SubsonicError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
