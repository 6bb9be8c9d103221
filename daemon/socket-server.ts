import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { MAX_LINE_BYTES } from '../src/protocol/jsonrpc.js';
import { type ClientChannel, socketChannel } from './client-channel.js';
import { unlinkQuietly } from './instance-lock.js';
import type { Logger } from './logger.js';

/**
 * Turns one request line into the response line to send back, or null for a notification.
 * `client` is the connection it came on, for a request that starts pushing to it.
 */
export type LineHandler = (line: string, client: ClientChannel) => Promise<string | null>;

/**
 * The Unix socket: newline-delimited frames, each handed to the handler; responses written
 * back as they complete (a slow request does not hold up a fast one). A line longer than
 * {@link MAX_LINE_BYTES} is answered with `tooLarge` and skipped up to its newline, so one
 * bad client message never desynchronises the stream or costs unbounded memory.
 */
export class SocketServer {
  readonly #path: string;
  readonly #handle: LineHandler;
  readonly #tooLarge: string;
  readonly #logger: Logger;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #inFlight = 0;
  #idle: (() => void) | null = null;

  constructor(path: string, handle: LineHandler, tooLarge: string, logger: Logger) {
    this.#path = path;
    this.#handle = handle;
    this.#tooLarge = tooLarge;
    this.#logger = logger;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  get connections(): number {
    return this.#sockets.size;
  }

  /** Listen with the socket 0600 inside a 0700 directory (only the owner may connect). */
  async listen(): Promise<void> {
    ensurePrivateDirectory(dirname(this.#path), this.#logger);
    const previous = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(this.#path, () => {
          this.#server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(previous);
    }
    chmodSync(this.#path, 0o600);
  }

  /**
   * Stop accepting, wait up to `graceMs` for requests in flight, then close every connection
   * and remove the socket file.
   */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    if (this.#inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.#idle = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    for (const socket of this.#sockets) socket.end();
    await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 500).unref())]);
    for (const socket of this.#sockets) socket.destroy();
    unlinkQuietly(this.#path);
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    const channel = socketChannel(socket);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let discarding = false;

    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl === -1) {
          if (!discarding && start < chunk.length) {
            pending.push(chunk.subarray(start));
            pendingBytes += chunk.length - start;
            if (pendingBytes > MAX_LINE_BYTES) {
              discarding = true;
              pending = [];
              pendingBytes = 0;
              this.#send(socket, this.#tooLarge);
            }
          }
          return;
        }
        const piece = chunk.subarray(start, nl);
        start = nl + 1;
        if (discarding) {
          discarding = false;
          continue;
        }
        const line = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        if (line.length > MAX_LINE_BYTES) this.#send(socket, this.#tooLarge);
        else this.#dispatch(socket, channel, line.toString('utf8'));
      }
    });
    socket.on('error', (err) => this.#logger.debug('socket.client_error', { error: err.message }));
    socket.on('close', () => this.#sockets.delete(socket));
  }

  #dispatch(socket: Socket, channel: ClientChannel, line: string): void {
    if (line.trim() === '') return;
    this.#inFlight++;
    this.#handle(line, channel)
      .then((response) => {
        if (response !== null) this.#send(socket, response);
      })
      .catch((err: unknown) => this.#logger.error('socket.handler_failed', { error: String(err) }))
      .finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0 && this.#idle) {
          this.#idle();
          this.#idle = null;
        }
      });
  }

  /** A client that went away mid-request simply does not get its answer. */
  #send(socket: Socket, line: string): void {
    if (socket.destroyed || !socket.writable) return;
    socket.write(`${line}\n`);
  }
}

/**
 * The socket's directory must admit only its owner. A directory we create is 0700; an
 * existing one of ours that is wider is narrowed, except shared sticky directories such as
 * /tmp, where the socket's own 0600 mode is what protects it (and we say so).
 */
function ensurePrivateDirectory(dir: string, logger: Logger): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if ((st.mode & 0o077) === 0) return;
  const ours = typeof process.getuid === 'function' && st.uid === process.getuid();
  const sticky = (st.mode & 0o1000) !== 0;
  if (ours && !sticky) {
    chmodSync(dir, 0o700);
    logger.info('socket.directory_narrowed', { dir, mode: '0700' });
  } else {
    logger.warn('socket.directory_shared', { dir, note: 'the socket itself is 0600' });
  }
}
