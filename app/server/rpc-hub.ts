// The WebSocket side of the contract: validates each request against METHODS, runs its handler and
// answers with a result or a specific error; pushes events to every connected client. A bad message
// gets an error reply and never closes the connection or the backend.
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import { UserError } from '../kit/user-error.ts';
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

export type Handlers = {
  [M in MethodName]: (params: z.output<(typeof METHODS)[M]['params']>) => Result<M> | Promise<Result<M>>;
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
  readonly #clients = new Set<WebSocket>();
  readonly #log: (line: string) => void;

  constructor(handlers: Handlers, log: (line: string) => void) {
    this.#handlers = handlers;
    this.#log = log;
  }

  attach(ws: WebSocket): void {
    this.#clients.add(ws);
    ws.on('close', () => this.#clients.delete(ws));
    ws.on('error', () => this.#clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.#send(ws, {
          id: 0,
          ok: false,
          error: { code: 'bad_request', message: 'messages are JSON text' },
        });
        return;
      }
      void this.#handle(ws, data.toString());
    });
  }

  async #handle(ws: WebSocket, text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#send(ws, {
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
      this.#send(ws, { id, ok: false, error: { code: 'bad_request', message } });
      return;
    }
    const { id, method, params } = request.data;
    if (!isMethodName(method)) {
      this.#send(ws, {
        id,
        ok: false,
        error: { code: 'bad_request', message: `unknown method "${method}"` },
      });
      return;
    }
    const parsed = METHODS[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      const message = `invalid parameters for ${method}: ${describeIssues(parsed.error, 'params')}`;
      this.#send(ws, { id, ok: false, error: { code: 'bad_request', message } });
      return;
    }
    try {
      const handler = this.#handlers[method] as (p: unknown) => unknown;
      const result = await handler(parsed.data);
      this.#send(ws, { id, ok: true, result });
    } catch (err) {
      this.#send(ws, { id, ok: false, error: errorBody(err, this.#log) });
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
    for (const ws of this.#clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  #send(ws: WebSocket, message: object): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  closeAll(): void {
    for (const ws of this.#clients) ws.close(1001, 'the backend is stopping');
  }
}
