// The WebSocket side of the contract: validates each request against METHODS, runs its handler and
// answers with a result or a specific error; pushes events to every connected client. A bad message
// gets an error reply and never closes the connection or the backend. Clients take turns: one request of
// each client that has one, then back to the event loop (so every socket is read), each client's queue
// and unread replies bounded (connection-flow.ts): a flooding client slows only itself.
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import { UserError } from '../../kit/user-error.ts';
import {
  describeIssues,
  EVENTS,
  type EventData,
  type EventName,
  isMethodName,
  METHODS,
  type MethodName,
  RequestSchema,
  type Result,
  type RpcErrorBody,
} from '../shared/rpc-contract.ts';
import { ConnectionFlow, DEFAULT_LIMITS, type FlowLimits } from './connection-flow.ts';

/** What a handler knows of the call beyond its parameters. */
export interface CallContext {
  /** Aborted when the caller's connection closes: work only it would see the end of can stop. */
  readonly closed: AbortSignal;
}

export type Handlers = {
  [M in MethodName]: (
    params: z.output<(typeof METHODS)[M]['params']>,
    context: CallContext,
  ) => Result<M> | Promise<Result<M>>;
};

/** The reply for an error a handler threw: a UserError carries its code, anything else is "internal". */
function errorBody(err: unknown, log: (line: string) => void): RpcErrorBody {
  if (err instanceof UserError)
    return { code: err.code, message: err.message, ...(err.span && { position: err.span }) };
  log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export class RpcHub {
  readonly #handlers: Handlers;
  readonly #flows = new Map<WebSocket, ConnectionFlow>();
  /** Each connection's "closed" signal, by its flow. */
  readonly #closed = new WeakMap<ConnectionFlow, AbortSignal>();
  readonly #log: (line: string) => void;
  readonly #limits: FlowLimits;
  /** closeAll was called: the backend is stopping. */
  #stopping = false;
  #turnScheduled = false;

  constructor(handlers: Handlers, log: (line: string) => void, limits: FlowLimits = DEFAULT_LIMITS) {
    this.#handlers = handlers;
    this.#log = log;
    this.#limits = limits;
  }

  attach(ws: WebSocket): void {
    const flow = new ConnectionFlow(ws, this.#limits, () => this.#scheduleTurn(), this.#log);
    this.#flows.set(ws, flow);
    const closed = new AbortController();
    this.#closed.set(flow, closed.signal);
    const gone = () => {
      closed.abort();
      flow.drop();
      this.#flows.delete(ws);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.#reply(flow, {
          id: 0,
          ok: false,
          error: { code: 'bad_request', message: 'messages are JSON text' },
        });
        return;
      }
      flow.enqueue(data.toString());
      this.#scheduleTurn();
    });
  }

  #scheduleTurn(): void {
    if (this.#turnScheduled) return;
    this.#turnScheduled = true;
    setImmediate(() => this.#turn());
  }

  /** One request from each client that can run one; another turn after the event loop has read sockets. */
  #turn(): void {
    this.#turnScheduled = false;
    let more = false;
    for (const flow of [...this.#flows.values()]) {
      if (!flow.runnable()) continue;
      const { text, done } = flow.take();
      void this.#handle(flow, text).finally(done);
      more ||= flow.runnable();
    }
    if (more) this.#scheduleTurn();
  }

  async #handle(flow: ConnectionFlow, text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#reply(flow, {
        id: 0,
        ok: false,
        error: { code: 'bad_request', message: 'the message is not valid JSON' },
      });
      return;
    }
    const request = RequestSchema.safeParse(json);
    if (!request.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : 0;
      const message = `malformed request: ${describeIssues(request.error, 'request')}`;
      this.#reply(flow, { id, ok: false, error: { code: 'bad_request', message } });
      return;
    }
    const { id, method, params } = request.data;
    if (!isMethodName(method)) {
      this.#reply(flow, {
        id,
        ok: false,
        error: { code: 'bad_request', message: `unknown method "${method}"` },
      });
      return;
    }
    const parsed = METHODS[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      const message = `invalid parameters for ${method}: ${describeIssues(parsed.error, 'params')}`;
      this.#reply(flow, { id, ok: false, error: { code: 'bad_request', message } });
      return;
    }
    try {
      const handler = this.#handlers[method] as (p: unknown, c: CallContext) => unknown;
      const result = await handler(parsed.data, { closed: this.#closed.get(flow)! });
      this.#reply(flow, { id, ok: true, result });
    } catch (err) {
      // A client gone (its page closed, the backend stopping) hears nothing, and a request it left
      // failing as the stores close is no fault to log.
      if (this.#stopping || this.#closed.get(flow)?.aborted) return;
      this.#reply(flow, { id, ok: false, error: errorBody(err, this.#log) });
    }
  }

  /** Pushes an event to every client (validated: a malformed event is a backend bug, caught here). */
  emit<E extends EventName>(event: E, data: EventData<E>): void {
    const checked = EVENTS[event].safeParse(data);
    if (!checked.success) {
      this.#log(`not sending malformed ${event} event: ${describeIssues(checked.error, 'data')}`);
      return;
    }
    const text = JSON.stringify({ event, data: checked.data });
    for (const flow of this.#flows.values()) flow.send(text);
  }

  #reply(flow: ConnectionFlow, message: object): void {
    flow.send(JSON.stringify(message));
  }

  closeAll(): void {
    this.#stopping = true;
    for (const ws of this.#flows.keys()) ws.close(1001, 'the backend is stopping');
  }
}
