/**
 * JSON-RPC 2.0 framing on the som socket, without its schemas: one JSON object per line, each
 * way. Requests with an `id` get exactly one response; requests without are notifications.
 * The command line loads only this (and types); the daemon validates with ./jsonrpc.ts.
 */
export const PROTOCOL_VERSION = 1;

/** Longest request line the daemon reads; longer lines are answered with INVALID_REQUEST. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type RequestId = string | number | null;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type Response =
  | { jsonrpc: '2.0'; id: RequestId; result: unknown }
  | { jsonrpc: '2.0'; id: RequestId; error: RpcErrorObject };

/** A message the daemon pushes without a request (ticks, alerts); no `id`. */
export interface Notification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}
