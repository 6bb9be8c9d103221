import type { Socket } from 'node:net';

/**
 * One client's connection as a handler sees it: besides answering requests, somd may push
 * notifications on it (events) until it closes.
 */
export interface ClientChannel {
  /** Unique among the connections of this somd. */
  readonly id: number;
  /** Write one line (a notification); false when the connection is gone. */
  push(line: string): boolean;
  /** Bytes written to the connection and not yet taken by the client. */
  readonly backlog: number;
  readonly closed: boolean;
  /** Run `listener` once the connection has closed (at once if it already has). */
  onClose(listener: () => void): void;
  /** Drop the connection: a client that stopped reading must not make somd hold its events for ever. */
  destroy(): void;
}

let nextId = 1;

/** The channel of a socket the server accepted. */
export function socketChannel(socket: Socket): ClientChannel {
  const id = nextId++;
  const listeners: (() => void)[] = [];
  let closed = false;
  socket.once('close', () => {
    closed = true;
    for (const listener of listeners.splice(0)) listener();
  });
  return {
    id,
    push: (line) => {
      if (closed || socket.destroyed || !socket.writable) return false;
      socket.write(`${line}\n`);
      return true;
    },
    get backlog() {
      return socket.writableLength;
    },
    get closed() {
      return closed;
    },
    onClose: (listener) => {
      if (closed) listener();
      else listeners.push(listener);
    },
    destroy: () => socket.destroy(),
  };
}

/** A channel with no connection behind it (a request dispatched in-process): nothing can be pushed. */
export const NO_CHANNEL: ClientChannel = {
  id: 0,
  push: () => false,
  backlog: 0,
  closed: true,
  onClose: (listener) => listener(),
  destroy: () => undefined,
};
