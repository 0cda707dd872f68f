// Errors of the index engine. `name` is the wire name of acoustid-index's HTTP API; it survives the worker
// boundary (structured clone keeps only message), so the client rebuilds the right class from it.

export type IndexErrorName =
  | 'BadRequest'
  | 'InvalidIndexName'
  | 'InvalidFingerprintId'
  | 'IndexNotFound'
  | 'FingerprintNotFound'
  | 'VersionMismatch'
  | 'IndexAlreadyExists'
  | 'DirectoryLocked'
  | 'SearchTimeout'
  | 'IndexNotReady'
  | 'IndexClosed'
  | 'CorruptSegment'
  | 'CorruptManifest'
  | 'IoError';

const STATUS: Record<IndexErrorName, number> = {
  BadRequest: 400,
  InvalidIndexName: 400,
  InvalidFingerprintId: 400,
  IndexNotFound: 404,
  FingerprintNotFound: 404,
  VersionMismatch: 409,
  IndexAlreadyExists: 409,
  DirectoryLocked: 409,
  SearchTimeout: 503,
  IndexNotReady: 503,
  IndexClosed: 503,
  CorruptSegment: 500,
  CorruptManifest: 500,
  IoError: 500,
};

export class IndexError extends Error {
  readonly code: IndexErrorName;

  constructor(code: IndexErrorName, message: string = code) {
    super(message);
    this.name = 'IndexError';
    this.code = code;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export function isIndexErrorName(name: string): name is IndexErrorName {
  return Object.hasOwn(STATUS, name);
}

/** A failed system call (disk full, permissions, I/O error) as an IndexError that names the cause. */
export function ioError(err: unknown, doing: string): IndexError {
  const e = err as NodeJS.ErrnoException;
  return new IndexError('IoError', `${doing}: ${e.code ?? ''} ${e.message}`.trim());
}
