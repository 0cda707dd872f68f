import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../app/cli/parse-options.ts';

const options = {
  revoke: { type: 'string' },
  limit: { type: 'string', short: 'n' },
  json: { type: 'boolean', default: false, short: 'j' },
  yes: { type: 'boolean', default: false, short: 'y' },
} as const;
const parse = (args: string[]) => parseArgs({ args, options, allowPositionals: true });

describe('command options', () => {
  it('take the word after them as their value even when it starts with a dash, as ids printed may', () => {
    expect(parse(['shares', '--revoke', '-3xYq_9']).values.revoke).toBe('-3xYq_9');
    expect(parse(['-n', '-5']).values.limit).toBe('-5');
    expect(parse(['--revoke=-a', '-n7']).values).toEqual({
      revoke: '-a',
      limit: '7',
      json: false,
      yes: false,
    });
    // A value that starts with one of the command's short options but is no option of it ("-you", an id).
    expect(parse(['--revoke', '-yAb']).values.revoke).toBe('-yAb');
    expect(parse(['-yn', '-5']).values).toMatchObject({ yes: true, limit: '-5' });
    // A value already joined leaves the next word alone.
    expect(parse(['--revoke=x', '--json']).values).toEqual({ revoke: 'x', json: true, yes: false });
    expect(parse(['--', '--revoke', '-a']).positionals).toEqual(['--revoke', '-a']);
  });

  it('still catch a value forgotten before another of the command’s options, or a word it does not know', () => {
    expect(() => parse(['--revoke', '--json'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke', '-n', '3'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke', '-n3'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke', '-jy'])).toThrow(/ambiguous/);
    // `--` ends the options, never a value: what follows stays positional.
    expect(() => parse(['--revoke', '--', '-x'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke'])).toThrow(/argument missing/);
    expect(() => parse(['--nope'])).toThrow(/Unknown option '--nope'/);
  });
});
