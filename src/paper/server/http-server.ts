import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from '../faults.js';
import { KiteError } from './kite-error.js';
import { RateLimiter } from './rate-limit.js';
import { readParams } from './request-params.js';
import type { RouteResult, Router } from './router.js';

export interface HttpServerOptions {
  router: Router;
  faults: Faults;
  /** Checks `Authorization: token api_key:access_token`; returns the api_key or throws TokenException. */
  authenticate(header: string | undefined): string;
  rateLimiter?: RateLimiter;
  /** Called for every failure the server answers, for the paper exchange's log. */
  onError?: (err: unknown, req: IncomingMessage) => void;
  /**
   * The paper market's time. Every answer's `Date` header carries it, as a real server's
   * carries its own clock: a client that keeps time by its broker (somd does) then runs on
   * the paper market's day.
   */
  now?: () => Date;
}

/**
 * The paper exchange's REST front: Kite's envelope, auth, rate limits, injected faults and
 * latency around a router of Kite's endpoints. Listens on 127.0.0.1 only.
 */
export class PaperHttpServer {
  readonly #options: HttpServerOptions;
  readonly #limiter: RateLimiter;
  readonly server: Server;

  constructor(options: HttpServerOptions) {
    this.#options = options;
    this.#limiter = options.rateLimiter ?? new RateLimiter();
    this.server = createServer((req, res) => void this.#handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  get rateLimiter(): RateLimiter {
    return this.#limiter;
  }

  /** Listen on loopback; `port` 0 picks a free one. Resolves with the port. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (this.#options.now) res.setHeader('Date', this.#options.now().toUTCString());
    try {
      const { latency_ms } = this.#options.faults.settings;
      if (latency_ms > 0) await new Promise((r) => setTimeout(r, latency_ms));
      const isAdmin = url.pathname.startsWith('/paper/');
      if (!isAdmin) {
        const fault = this.#options.faults.decide(method, url.pathname);
        if (fault.kind === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault.kind !== 'none') {
          send(res, fault.status, { status: 'error', message: fault.message, data: null, error_type: fault.errorType });
          return;
        }
      }
      const found = this.#options.router.match(method, url.pathname);
      if (!('route' in found)) {
        throw found.methodMismatch
          ? new KiteError('GeneralException', 'Method not allowed', 405)
          : new KiteError('GeneralException', 'Route not found', 404);
      }
      const { route, pathParams } = found;
      const apiKey = route.auth ? this.#options.authenticate(header(req, 'authorization')) : null;
      if (apiKey !== null && !this.#limiter.allow(apiKey, route.limit, Date.now())) {
        throw new KiteError('NetworkException', 'Too many requests', 429);
      }
      const params = await readParams(req, url);
      const result = await route.handle({
        method,
        path: url.pathname,
        pathParams,
        params,
        apiKey,
        headers: req.headers,
      });
      if (result === DROP_CONNECTION) {
        req.socket.destroy();
        return;
      }
      writeResult(res, result);
    } catch (err) {
      this.#options.onError?.(err, req);
      if (err instanceof KiteError) send(res, err.status, err.body());
      else send(res, 500, new KiteError('GeneralException', `Internal error: ${(err as Error).message}`).body());
    }
  }
}

/** A handler returns this to have the connection reset after its work is done (fault injection). */
export const DROP_CONNECTION: RouteResult = { raw: '', contentType: 'drop' };

function writeResult(res: ServerResponse, result: RouteResult): void {
  if ('data' in result) {
    send(res, 200, { status: 'success', data: result.data });
    return;
  }
  res.writeHead(result.status ?? 200, { 'Content-Type': result.contentType, ...result.headers });
  res.end(result.raw);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
