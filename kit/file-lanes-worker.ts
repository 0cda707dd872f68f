// One lane's thread (file-lanes.ts): its operations one at a time, synchronously — a call that blocks on a
// file system that stopped answering blocks only this thread.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { LaneOp, LaneReply } from './file-lanes.ts';

function run(op: LaneOp): { reply: LaneReply; transfer: ArrayBuffer[] } {
  switch (op.op) {
    case 'open': {
      // Non-blocking: a FIFO in a file's place would hold the open until something wrote to it.
      // A Buffer path (bytes that are not UTF-8) arrives as a plain Uint8Array.
      const path =
        typeof op.path === 'string'
          ? op.path
          : Buffer.from(op.path.buffer, op.path.byteOffset, op.path.byteLength);
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const s = fstatSync(fd);
        if (!s.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
        const head = new Uint8Array(Math.min(op.head, s.size));
        const n = head.length > 0 ? readSync(fd, head, 0, head.length, 0) : 0;
        return {
          reply: { fd, size: s.size, mtimeMs: s.mtimeMs, head: head.subarray(0, n) },
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
    case 'close':
      closeSync(op.fd);
      return { reply: {}, transfer: [] };
  }
}

parentPort!.on('message', (op: LaneOp) => {
  try {
    const { reply, transfer } = run(op);
    parentPort!.postMessage(reply, transfer);
  } catch (err) {
    const { message, code } = err as NodeJS.ErrnoException;
    parentPort!.postMessage({ error: message, code });
  }
});
parentPort!.postMessage({ ready: true });
