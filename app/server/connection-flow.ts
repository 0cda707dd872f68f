// Flow control for one WebSocket client: its requests wait in a bounded queue (past the bound its socket
// is paused, so TCP pushes back on the sender instead of the backend buffering), a few run at once, and
// its replies may not pile up unread: past a soft bound it is not served until it reads, and a client that
// stays past it, or passes the hard bound, is disconnected.
import type { WebSocket } from 'ws';

export interface FlowLimits {
  /** Requests of one client running at once (async handlers); the rest wait their turn. */
  readonly inFlight: number;
  /** Requests read and waiting; past either bound the socket is paused until half have started. */
  readonly queued: number;
  readonly queuedBytes: number;
  /** Reply bytes waiting for the client to read them, past which it is not served. */
  readonly sendSoft: number;
  /** ... and past which it is disconnected at once. */
  readonly sendHard: number;
  /** How long a client may stay past `sendSoft` before it is disconnected. */
  readonly stallMs: number;
}

export const DEFAULT_LIMITS: FlowLimits = {
  inFlight: 4,
  queued: 64,
  queuedBytes: 16 * 1024 * 1024,
  sendSoft: 4 * 1024 * 1024,
  sendHard: 64 * 1024 * 1024,
  stallMs: 10_000,
};

/** How often a client that is not reading is looked at again. */
const STALL_POLL_MS = 50;

export class ConnectionFlow {
  readonly ws: WebSocket;
  readonly #limits: FlowLimits;
  readonly #queue: string[] = [];
  #queuedBytes = 0;
  #inFlight = 0;
  #paused = false;
  #stallTimer: NodeJS.Timeout | undefined;
  #stalledSince = 0;
  /** Called when this client may be able to run a request it could not run before. */
  readonly #wake: () => void;
  readonly #log: (line: string) => void;

  constructor(ws: WebSocket, limits: FlowLimits, wake: () => void, log: (line: string) => void) {
    this.ws = ws;
    this.#limits = limits;
    this.#wake = wake;
    this.#log = log;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  enqueue(text: string): void {
    this.#queue.push(text);
    this.#queuedBytes += text.length;
    if (
      !this.#paused &&
      (this.#queue.length >= this.#limits.queued || this.#queuedBytes >= this.#limits.queuedBytes)
    ) {
      this.#paused = true;
      this.ws.pause();
    }
  }

  /** Whether a request is waiting and may start now. Watches a client that is not reading its replies. */
  runnable(): boolean {
    if (this.#queue.length === 0 || this.#inFlight >= this.#limits.inFlight || !this.open) return false;
    if (this.ws.bufferedAmount < this.#limits.sendSoft) return true;
    this.#watchStall();
    return false;
  }

  /** Takes the next request; `done` must be called when its reply has been sent. */
  take(): { text: string; done: () => void } {
    const text = this.#queue.shift()!;
    this.#queuedBytes -= text.length;
    this.#inFlight++;
    if (
      this.#paused &&
      this.#queue.length <= this.#limits.queued / 2 &&
      this.#queuedBytes <= this.#limits.queuedBytes / 2
    ) {
      this.#paused = false;
      this.ws.resume();
    }
    return {
      text,
      done: () => {
        this.#inFlight--;
        this.#wake();
      },
    };
  }

  /** Sends a reply or an event, unless the client has left more unread than the hard bound allows. */
  send(text: string): void {
    if (!this.open) return;
    this.ws.send(text);
    if (this.ws.bufferedAmount > this.#limits.sendHard)
      this.#disconnect(`${mb(this.ws.bufferedAmount)} of replies it has not read`);
  }

  /** Forgets queued requests (the client has gone): nothing more is run for it. */
  drop(): void {
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  #watchStall(): void {
    if (this.#stallTimer) return;
    this.#stalledSince = performance.now();
    const check = () => {
      this.#stallTimer = undefined;
      if (!this.open) return;
      if (this.ws.bufferedAmount < this.#limits.sendSoft) return this.#wake();
      if (performance.now() - this.#stalledSince >= this.#limits.stallMs)
        return this.#disconnect(
          `it left ${mb(this.ws.bufferedAmount)} of replies unread for ${this.#limits.stallMs / 1000} s`,
        );
      this.#stallTimer = setTimeout(check, STALL_POLL_MS);
    };
    this.#stallTimer = setTimeout(check, STALL_POLL_MS);
  }

  #disconnect(why: string): void {
    this.#log(`disconnected a client: ${why}`);
    this.drop();
    // A close frame would wait behind the unread replies: end the connection now, freeing them.
    this.ws.terminate();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
