import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readyLine } from '../../../main/backend-ready.ts';
import { electronBinary } from '../../../main/electron-binary.ts';
import { DEFAULT_STATE, loadWindowState, onScreen, saveWindowState } from '../../../main/window-state.ts';
import { tempDir } from '../../helpers.ts';

describe('window state', () => {
  it('is remembered, and anything unreadable or implausible gives the default', () => {
    const file = join(tempDir(), 'state', 'window.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_STATE);
    saveWindowState(file, { width: 1000, height: 700, x: 10, y: 20, maximized: true });
    expect(loadWindowState(file)).toEqual({ width: 1000, height: 700, x: 10, y: 20, maximized: true });
    writeFileSync(file, '{"width": 5, "height": 700, "maximized": false}');
    expect(loadWindowState(file)).toEqual(DEFAULT_STATE);
    writeFileSync(file, 'garbage');
    expect(loadWindowState(file)).toEqual(DEFAULT_STATE);
  });

  it('drops a position no display shows any more', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const state = { width: 800, height: 600, x: 100, y: 100, maximized: false };
    expect(onScreen(state, displays)).toEqual(state);
    expect(onScreen({ ...state, x: 3000 }, displays)).toEqual({ width: 800, height: 600, maximized: false });
    expect(
      onScreen({ ...state, x: 3000 }, [...displays, { x: 1920, y: 0, width: 2560, height: 1440 }]),
    ).toEqual({
      ...state,
      x: 3000,
    });
  });
});

describe('the backend announcement', () => {
  it('waits for a whole line, then checks it', () => {
    expect(readyLine('{"url":"http://127.0.0.1:5/?token=')).toBe('incomplete');
    const token = 'a'.repeat(43);
    expect(
      readyLine(`{"url":"http://127.0.0.1:5/?token=${token}","port":5,"token":"${token}"}\nmore`),
    ).toMatchObject({
      port: 5,
      token,
      origin: 'http://127.0.0.1:5',
    });
    expect(() => readyLine('{"url":"x","port":0,"token":"short"}\n')).toThrow();
    expect(() => readyLine('not json\n')).toThrow();
  });
});

describe('finding the Electron binary', () => {
  it('says why it is missing without downloading anything', () => {
    const dir = join(tempDir(), 'electron');
    expect(electronBinary(dir, {})).toEqual({
      missing: 'the electron package is not installed (npm install)',
    });
    mkdirSync(dir);
    expect(electronBinary(dir, {})).toMatchObject({ missing: expect.stringContaining('never downloaded') });
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir, {})).toMatchObject({ missing: expect.stringContaining('missing at') });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(electronBinary(dir, {})).toEqual({ path: join(dir, 'dist', 'electron') });
  });
});
