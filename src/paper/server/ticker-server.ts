import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { parseClientMessage } from '../ticks/client-message.js';
import { HEARTBEAT } from '../ticks/frame.js';
import type { TickInput } from '../ticks/packet.js';
import { errorText, orderUpdateText } from '../ticks/server-message.js';
import { SubscriptionTable } from '../ticks/subscriptions.js';

export interface TickerServerOptions {
  /** The URL path the WebSocket root answers on (KiteTicker appends `?api_key=...&access_token=...`). */
  path: string;
  /** True when the pair is a live session; a refused handshake gets HTTP 403 as Kite's does. */
  authenticate(apiKey: string, accessToken: string): boolean;
  /** The current tick of a token, or null for an unknown token. */
  tick(token: number): TickInput | null;
  /** True while ticks are stalled by fault injection (heartbeats continue, as a stuck feed does). */
  stalled(): boolean;
}

interface Connection {
  socket: WebSocket;
  apiKey: string;
  subscriptions: SubscriptionTable;
}

/**
 * Kite's WebSocket on the paper exchange: binary tick frames for subscribed tokens, a 1-byte
 * heartbeat when there is nothing else to send (KiteTicker drops a connection silent for 5 s),
 * and order updates as text frames to every connection of the user.
 */
export class TickerServer {
  readonly #options: TickerServerOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();

  constructor(http: Server, options: TickerServerOptions) {
    this.#options = options;
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** One round of the feed: each connection gets its subscribed ticks in one frame, or a heartbeat. */
  broadcastTicks(): void {
    const stalled = this.#options.stalled();
    // Connections subscribed to the same token share one quote computation per round.
    const round = new Map<number, TickInput | null>();
    const tickOf = (token: number) => {
      let t = round.get(token);
      if (t === undefined) {
        t = this.#options.tick(token);
        round.set(token, t);
      }
      return t;
    };
    for (const c of this.#connections) {
      let frame: Buffer | null = null;
      if (!stalled && c.subscriptions.size > 0) {
        const ticks: TickInput[] = [];
        for (const [token] of c.subscriptions.entries()) {
          const t = tickOf(token);
          if (t) ticks.push(t);
        }
        frame = c.subscriptions.frameFor(ticks);
      }
      send(c.socket, frame ?? HEARTBEAT);
    }
  }

  /** An order's new state, in the postback shape, to every connection of the user. */
  publishOrder(order: unknown): void {
    const text = orderUpdateText(order);
    for (const c of this.#connections) send(c.socket, text);
  }

  /** Fault injection: drop every connection without a close handshake. */
  dropAll(): void {
    for (const c of this.#connections) c.socket.terminate();
    this.#connections.clear();
  }

  close(): void {
    this.dropAll();
    this.#wss.close();
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== this.#options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const apiKey = url.searchParams.get('api_key') ?? '';
    const accessToken = url.searchParams.get('access_token') ?? '';
    if (!apiKey || !accessToken || !this.#options.authenticate(apiKey, accessToken)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, apiKey));
  }

  #accept(socket: WebSocket, apiKey: string): void {
    const connection: Connection = { socket, apiKey, subscriptions: new SubscriptionTable() };
    this.#connections.add(connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) {
        send(socket, errorText(parsed.error.message));
        return;
      }
      const result = connection.subscriptions.apply(parsed.message);
      if (result.error) send(socket, errorText(result.error.message));
      // Kite sends a fresh tick for what was just subscribed rather than waiting for a trade.
      const fresh = result.refresh.map((t) => this.#options.tick(t)).filter((t): t is TickInput => t !== null);
      const frame = this.#options.stalled() ? null : connection.subscriptions.frameFor(fresh);
      if (frame) send(socket, frame);
    });
    socket.on('close', () => this.#connections.delete(connection));
    socket.on('error', () => this.#connections.delete(connection));
  }
}

function send(socket: WebSocket, data: Buffer | string): void {
  if (socket.readyState === socket.OPEN) socket.send(data);
}
