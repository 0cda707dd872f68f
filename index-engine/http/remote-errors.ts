// How a remote index fails, apart from its client (which loads zod and msgpack): a scan checks for these
// whether or not it talks to a remote index.

/** The server could not be reached or stayed unavailable through every retry. */
export class RemoteIndexUnavailable extends Error {
  override name = 'RemoteIndexUnavailable';
}

/** The server answered with an error that retrying cannot fix (a bad request, a missing index). */
export class RemoteIndexError extends Error {
  override name = 'RemoteIndexError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
