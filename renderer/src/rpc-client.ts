// The renderer's one way to the backend: typed calls and events over a WebSocket, every response and
// event validated against the shared contract. Reconnects by itself; calls made while disconnected wait.
import {
  describeIssues,
  EVENTS,
  type EventData,
  type EventName,
  isEventName,
  METHODS,
  type MethodName,
  type Params,
  type Result,
  type RpcErrorBody,
  ServerMessageSchema,
} from '../../app/shared/rpc-contract.ts';

export class RpcCallError extends Error {
  readonly code: RpcErrorBody['code'] | 'connection';
  readonly position: RpcErrorBody['position'];
  constructor(body: RpcErrorBody | { code: 'connection'; message: string; position?: undefined }) {
    super(body.message);
    this.name = 'RpcCallError';
    this.code = body.code;
    this.position = body.position;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A call that failed because the backend could not be reached (not because it refused). */
export function isConnectionError(err: unknown): boolean {
  return err instanceof RpcCallError && err.code === 'connection';
}

interface Pending {
  readonly method: MethodName;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class RpcClient {
  readonly #url: string;
  #ws: WebSocket | undefined;
  #nextId = 1;
  #retryMs = 250;
  #stopped = false;
  readonly #pending = new Map<number, Pending>();
  readonly #queue: string[] = [];
  readonly #listeners = new Map<EventName, Set<(data: never) => void>>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  constructor(url: string) {
    this.#url = url;
    this.#connect();
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    for (const l of this.#stateListeners) l(state);
  }

  #connect(): void {
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    this.#setState('connecting');
    ws.onopen = () => {
      this.#retryMs = 250;
      this.#setState('open');
      for (const text of this.#queue.splice(0)) ws.send(text);
    };
    ws.onmessage = (e) => this.#receive(String(e.data));
    ws.onclose = () => {
      // Calls are rejected here, so none of them may still be sent after a reconnect.
      this.#queue.length = 0;
      for (const [id, p] of this.#pending) {
        p.reject(new RpcCallError({ code: 'connection', message: 'the connection to the backend was lost' }));
        this.#pending.delete(id);
      }
      if (this.#stopped) return;
      this.#setState('closed');
      setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, 5000);
    };
  }

  #receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      console.error('backend sent a message that is not JSON');
      return;
    }
    const message = ServerMessageSchema.safeParse(json);
    if (!message.success) {
      console.error(`backend sent a malformed message: ${describeIssues(message.error, 'message')}`);
      return;
    }
    const m = message.data;
    if ('event' in m) {
      if (!isEventName(m.event)) return;
      const data = EVENTS[m.event].safeParse(m.data);
      if (!data.success) {
        console.error(`malformed ${m.event} event: ${describeIssues(data.error, 'data')}`);
        return;
      }
      for (const l of this.#listeners.get(m.event) ?? []) (l as (d: unknown) => void)(data.data);
      return;
    }
    const pending = this.#pending.get(m.id);
    if (!pending) return;
    this.#pending.delete(m.id);
    if (!m.ok) {
      pending.reject(new RpcCallError(m.error));
      return;
    }
    const result = METHODS[pending.method].result.safeParse(m.result);
    if (result.success) pending.resolve(result.data);
    else
      pending.reject(
        new RpcCallError({
          code: 'internal',
          message: `the backend's answer to ${pending.method} does not match the contract: ${describeIssues(result.error, 'result')}`,
        }),
      );
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.#nextId++;
    const text = JSON.stringify({ id, method, params });
    return new Promise<Result<M>>((resolve, reject) => {
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(text);
      else this.#queue.push(text);
    });
  }

  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  close(): void {
    this.#stopped = true;
    this.#ws?.close();
  }
}
