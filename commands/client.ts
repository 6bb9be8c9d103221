import { connect, type Socket } from 'node:net';
import { errorCodeFromRpc, SomError } from '../src/protocol/errors.js';
import { PROTOCOL_VERSION, type RequestId, type Response } from '../src/protocol/framing.js';
import type { MethodName, ParamsIn, ResultOf } from '../src/protocol/methods.js';

const DEFAULT_TIMEOUT_MS = 60_000;

/** What a command needs of somd: one call at a time, typed by the protocol. */
export interface RpcClient {
  call<M extends MethodName>(method: M, params: ParamsIn<M>, timeoutMs?: number): Promise<ResultOf<M>>;
  /**
   * Hand every notification somd pushes on this connection (events) to `listener`; resolves
   * when the connection closes.
   */
  notifications?(listener: (method: string, params: unknown) => void): Promise<void>;
  close(): void;
}

/** A notification line (`method`, no `id`), or null for anything else. */
export function readNotification(message: unknown): { method: string; params: unknown } | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== '2.0' || 'id' in m || typeof m.method !== 'string') return null;
  return { method: m.method, params: m.params };
}

/**
 * A response line, or null for anything else (a notification, which one-shot commands ignore).
 * The daemon validates what it sends against the protocol's schemas; the CLI only needs to know
 * which request a line answers and whether it is a result or an error.
 */
export function readResponse(message: unknown): Response | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== '2.0' || !('id' in m)) return null;
  const id = m.id;
  if (typeof id !== 'string' && typeof id !== 'number' && id !== null) return null;
  if ('result' in m) return { jsonrpc: '2.0', id, result: m.result };
  const error = m.error as Record<string, unknown> | null | undefined;
  if (typeof error?.code !== 'number' || typeof error.message !== 'string') return null;
  return { jsonrpc: '2.0', id, error: { code: error.code, message: error.message, data: error.data } };
}

/**
 * The CLI's side of the socket. `connect` checks `system.hello` so that a som talking to an
 * older or newer somd fails with a clear message instead of a confusing one later.
 */
export class DaemonClient implements RpcClient {
  readonly #socket: Socket;
  readonly #pending = new Map<
    RequestId,
    { resolve: (v: unknown) => void; reject: (e: SomError) => void; method: string }
  >();
  #nextId = 1;
  #buffer = '';
  #listener: ((method: string, params: unknown) => void) | null = null;
  readonly #closed: Promise<void>;

  private constructor(
    socket: Socket,
    readonly socketPath: string,
  ) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('close', () =>
      this.#failAll(new SomError('DAEMON_UNREACHABLE', `somd closed the connection at ${socketPath}`)),
    );
    socket.on('error', () => undefined);
  }

  static async connect(socketPath: string): Promise<DaemonClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new SomError(
            'DAEMON_UNREACHABLE',
            `somd is not running at ${socketPath}; start it with \`somd\` (or \`systemctl --user start somd\`)` +
              (err.code && err.code !== 'ENOENT' && err.code !== 'ECONNREFUSED' ? ` (${err.code})` : ''),
            { socket: socketPath },
          ),
        );
      });
    });
    const client = new DaemonClient(socket, socketPath);
    const hello = await client.call('system.hello', {});
    if (hello.protocol !== PROTOCOL_VERSION) {
      client.close();
      throw new SomError(
        'PROTOCOL_MISMATCH',
        `somd ${hello.version} at ${socketPath} speaks protocol ${hello.protocol}, this som speaks ${PROTOCOL_VERSION}; restart somd from the same som installation`,
      );
    }
    return client;
  }

  call<M extends MethodName>(method: M, params: ParamsIn<M>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ResultOf<M>> {
    const id = this.#nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SomError('FAILED', `somd did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as ResultOf<M>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  notifications(listener: (method: string, params: unknown) => void): Promise<void> {
    this.#listener = listener;
    return this.#closed;
  }

  /** A one-shot command is done with the connection: drop it at once rather than wait for somd's end of it. */
  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    for (let nl = this.#buffer.indexOf('\n'); nl !== -1; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.trim()) this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.#failAll(new SomError('FAILED', 'somd sent a line that is not JSON'));
      return;
    }
    const response = readResponse(message);
    if (!response) {
      const notification = readNotification(message);
      if (notification) this.#listener?.(notification.method, notification.params);
      return;
    }
    const waiter = this.#pending.get(response.id);
    if (!waiter) return;
    this.#pending.delete(response.id);
    if ('error' in response) {
      const { code, message: text, data } = response.error;
      const { code: _named, ...rest } = (data ?? {}) as Record<string, unknown>;
      waiter.reject(new SomError(errorCodeFromRpc(code, data), text, rest));
    } else {
      waiter.resolve(response.result);
    }
  }

  #failAll(err: SomError): void {
    for (const waiter of this.#pending.values()) waiter.reject(err);
    this.#pending.clear();
  }
}
