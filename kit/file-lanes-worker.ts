// One lane's thread (file-lanes.ts): its operations one at a time, synchronously — a call that blocks on a
// file system that stopped answering blocks only this thread.
import { isUtf8 } from 'node:buffer';
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { keepCompiled } from './compile-cache.ts';
import type { FileInfo, LaneMessage, LaneOp, LaneReply, ListPick } from './file-lanes.ts';
import { KINDS, type Listing, STAT_FIELDS } from './file-lanes-listing.ts';
import { adviseProbes } from './read-advice.ts';

/** A path as it arrived: a Buffer path (bytes that are not UTF-8) comes as a plain Uint8Array. */
const asPath = (path: string | Uint8Array): string | Buffer =>
  typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength);

const kindOf = (s: Stats | Dirent<string> | Dirent<Buffer>): FileInfo['kind'] =>
  s.isFile() ? 'file' : s.isDirectory() ? 'folder' : s.isSymbolicLink() ? 'link' : 'other';

const info = (s: Stats): FileInfo => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeMs: s.mtimeMs,
  kind: kindOf(s),
});

/**
 * A folder's entries with the stats a walk needs, in one call. Node decodes names lossily (into U+FFFD),
 * so a folder with that character in a name, or one whose own path is bytes, is listed as bytes.
 */
function list(
  dir: string | Buffer,
  pick: ListPick,
  mountPoints: readonly string[],
  transfer: ArrayBuffer[],
): Listing {
  let named: Array<{ name: string | Buffer; kind: FileInfo['kind'] }> | undefined;
  if (typeof dir === 'string') {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (!entries.some((e) => e.name.includes('\uFFFD')))
      named = entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
  }
  named ??= readdirSync(dir, { encoding: 'buffer', withFileTypes: true }).map((e) => ({
    name: e.name,
    kind: kindOf(e),
  }));
  const kinds = new Uint8Array(named.length);
  const stats = new Float64Array(named.length * STAT_FIELDS);
  const failed: Array<[number, string]> = [];
  const targets: Array<[number, string | Buffer]> = [];
  named.forEach(({ name, kind }, i) => {
    kinds[i] = KINDS.indexOf(kind);
    // A name that is not UTF-8 is judged byte for byte (its dots and extension are ASCII).
    const text = typeof name === 'string' ? name : name.toString(isUtf8(name) ? 'utf8' : 'latin1');
    const path =
      typeof dir === 'string' && typeof name === 'string'
        ? join(dir, name)
        : Buffer.concat([Buffer.from(dir), Buffer.from('/'), Buffer.from(name)]);
    const shown = !pick.ignore.includes(text);
    const entered = shown && (pick.hidden || !text.startsWith('.'));
    const looked =
      (kind === 'file' && shown && pick.files?.test(text) === true) ||
      (kind === 'folder' && entered && !mountPoints.includes(text));
    if (looked) {
      try {
        const s = statSync(path);
        stats.set([KINDS.indexOf(kindOf(s)) + 1, s.dev, s.ino, s.size, s.mtimeMs], i * STAT_FIELDS);
      } catch (err) {
        failed.push([i, (err as NodeJS.ErrnoException).code ?? String(err)]);
      }
    } else if (kind === 'link' && entered) {
      try {
        targets.push([i, typeof path === 'string' ? readlinkSync(path) : readlinkSync(path, 'buffer')]);
      } catch {}
    }
  });
  transfer.push(kinds.buffer, stats.buffer);
  return { names: named.map((n) => n.name), kinds, stats, failed, targets };
}

function run(op: LaneOp): { reply: LaneReply; transfer: ArrayBuffer[] } {
  switch (op.op) {
    case 'open': {
      // Non-blocking: a FIFO in a file's place would hold the open until something wrote to it.
      // A Buffer path (bytes that are not UTF-8) arrives as a plain Uint8Array.
      const fd = openSync(asPath(op.path), constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        if (op.probe) adviseProbes(fd);
        const s = fstatSync(fd);
        if (!s.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
        const head = new Uint8Array(Math.min(op.head, s.size));
        const n = head.length > 0 ? readSync(fd, head, 0, head.length, 0) : 0;
        return {
          reply: { fd, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, head: head.subarray(0, n) },
          transfer: [head.buffer],
        };
      } catch (err) {
        closeSync(fd);
        throw err;
      }
    }
    case 'read': {
      const bytes = new Uint8Array(op.length);
      const n = readSync(op.fd, bytes, 0, op.length, op.position);
      return { reply: { bytes: bytes.subarray(0, n) }, transfer: [bytes.buffer] };
    }
    case 'close': // its work was the closes sent with it
      return { reply: {}, transfer: [] };
    case 'stat': {
      const path = asPath(op.path);
      const s = op.follow
        ? statSync(path, { throwIfNoEntry: false })
        : lstatSync(path, { throwIfNoEntry: false });
      return { reply: { info: s && info(s) }, transfer: [] };
    }
    case 'realpath':
      return { reply: { real: realpathSync(asPath(op.path)) }, transfer: [] };
    case 'list': {
      const transfer: ArrayBuffer[] = [];
      const listings = op.folders.map((f) => {
        try {
          return list(asPath(f.path), op, f.mountPoints, transfer);
        } catch (err) {
          const { message, code } = err as NodeJS.ErrnoException;
          return { error: message, code };
        }
      });
      return { reply: { listings }, transfer };
    }
  }
}

parentPort!.on('message', ({ op, closes }: LaneMessage) => {
  for (const fd of closes)
    try {
      closeSync(fd);
    } catch {} // its caller has moved on: nobody could act on the error
  try {
    const { reply, transfer } = run(op);
    parentPort!.postMessage(reply, transfer);
  } catch (err) {
    const { message, code } = err as NodeJS.ErrnoException;
    parentPort!.postMessage({ error: message, code });
  }
});
keepCompiled();
parentPort!.postMessage({ ready: true });
