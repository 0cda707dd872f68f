// Counts one at a time, the newest waiting: a query typed key by key counts its first key's list and then
// only the newest; each one replaced answers null at once.
import { describe, expect, it } from 'vitest';
import { LatestCount } from '../../../renderer/src/latest-count.ts';

describe('LatestCount', () => {
  it('runs one count at a time and only the newest of those asked meanwhile', async () => {
    const gate = new LatestCount();
    const ran: string[] = [];
    let finish: (n: number) => void = () => {};
    const slow = (name: string) => () => {
      ran.push(name);
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    };
    const a = gate.ask(slow('A'));
    const al = gate.ask(slow('Al'));
    const alb = gate.ask(slow('Alb'));
    expect(await al).toBeNull(); // replaced while waiting, never run
    expect(ran).toEqual(['A']);
    finish(1_000_000);
    expect(await a).toBe(1_000_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(ran).toEqual(['A', 'Alb']);
    finish(100);
    expect(await alb).toBe(100);
  });

  it('passes a failure on, and goes on with the next', async () => {
    const gate = new LatestCount();
    await expect(gate.ask(() => Promise.reject(new Error('narrow it')))).rejects.toThrow('narrow it');
    expect(await gate.ask(async () => 5)).toBe(5);
    const throwsAtOnce = () => {
      throw new Error('no connection');
    };
    await expect(gate.ask(throwsAtOnce)).rejects.toThrow('no connection');
    expect(await gate.ask(async () => 6)).toBe(6);
  });
});
