// Every domain error is a UserError with a stable code: the CLI and the RPC hub map that one class.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../app/cli/errors.ts';
import { ConfigError } from '../../app/core/config.ts';
import { DatabaseVersionError } from '../../app/core/db/database.ts';
import { DuplicateError } from '../../app/core/fingerprint/duplicates.ts';
import { EditError } from '../../app/core/library/edits.ts';
import { WriteRejected } from '../../app/core/mounted/write-back.ts';
import { MountError } from '../../app/core/mounts/mount-control.ts';
import { ScanFolderError } from '../../app/core/scan/scanner.ts';
import { SimilarityError } from '../../app/core/similar/similar.ts';
import { FilterError } from '../../app/core/similar/where-filter.ts';
import { parseQuery, QuerySyntaxError } from '../../app/shared/query.ts';
import { ERROR_CODES } from '../../app/shared/rpc-contract.ts';
import { Template, TemplateError } from '../../app/shared/template.ts';
import { UserError } from '../../kit/user-error.ts';

describe('UserError', () => {
  it.each([
    [new EditError('x'), 'EditError', 'bad_request'],
    [new ConfigError('x'), 'ConfigError', 'bad_request'],
    [new ScanFolderError('x'), 'ScanFolderError', 'bad_request'],
    [new FilterError('x'), 'FilterError', 'bad_request'],
    [new MountError('x'), 'MountError', 'bad_request'],
    [new WriteRejected('x'), 'WriteRejected', 'bad_request'],
    [new UsageError('x'), 'UsageError', 'bad_request'],
    [new DuplicateError('x'), 'DuplicateError', 'not_found'],
    [new SimilarityError('x'), 'SimilarityError', 'not_found'],
    [new DatabaseVersionError('x'), 'DatabaseVersionError', 'conflict'],
  ])('%s is a UserError named %s with code %s', (err, name, code) => {
    expect(err).toBeInstanceOf(UserError);
    expect([err.name, err.code, err.message]).toEqual([name, code, 'x']);
    expect(ERROR_CODES).toContain(err.code);
  });

  it('carries where in the typed text a query or template is wrong', () => {
    const query = thrown(() => parseQuery('artist:"unclosed'));
    expect(query).toBeInstanceOf(QuerySyntaxError);
    expect(query).toBeInstanceOf(UserError);
    expect(query.span).toEqual({ start: query.position, length: query.length });
    const template = thrown(() => new Template('%nosuch{x}'));
    expect(template).toBeInstanceOf(TemplateError);
    expect(template.span).toEqual({ start: template.position, length: 1 });
  });
});

function thrown(fn: () => unknown): UserError & { position: number; length: number } {
  try {
    fn();
  } catch (err) {
    return err as UserError & { position: number; length: number };
  }
  throw new Error('expected an error');
}
