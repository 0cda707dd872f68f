import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../app/cli/parse-options.ts';

const options = {
  revoke: { type: 'string' },
  limit: { type: 'string', short: 'n' },
  json: { type: 'boolean', default: false },
} as const;
const parse = (args: string[]) => parseArgs({ args, options, allowPositionals: true });

describe('command options', () => {
  it('take the word after them as their value even when it starts with a dash, as ids printed may', () => {
    expect(parse(['shares', '--revoke', '-3xYq_9']).values.revoke).toBe('-3xYq_9');
    expect(parse(['-n', '-5']).values.limit).toBe('-5');
    expect(parse(['--revoke=-a', '-n7']).values).toEqual({ revoke: '-a', limit: '7', json: false });
    // A value already joined leaves the next word alone.
    expect(parse(['--revoke=x', '--json']).values).toEqual({ revoke: 'x', json: true });
    expect(parse(['--', '--revoke', '-a']).positionals).toEqual(['--revoke', '-a']);
  });

  it('still catch a value forgotten before another of the command’s options, or a word it does not know', () => {
    expect(() => parse(['--revoke', '--json'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke', '-n', '3'])).toThrow(/ambiguous/);
    expect(() => parse(['--revoke'])).toThrow(/argument missing/);
    expect(() => parse(['--nope'])).toThrow(/Unknown option '--nope'/);
  });
});
