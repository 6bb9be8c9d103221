import { z } from 'zod';

/**
 * JSON-RPC 2.0 framing on the som socket: one JSON object per line, each way.
 * Requests with an `id` get exactly one response; requests without are notifications.
 */
export const PROTOCOL_VERSION = 1;

/** Longest request line the daemon reads; longer lines are answered with INVALID_REQUEST. */
export const MAX_LINE_BYTES = 1024 * 1024;

export const requestIdSchema = z.union([z.string(), z.number(), z.null()]);
export type RequestId = z.infer<typeof requestIdSchema>;

export const requestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  id: requestIdSchema.optional(),
});
export type Request = z.infer<typeof requestSchema>;

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

export const responseSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id: requestIdSchema, result: z.unknown() }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: requestIdSchema,
    error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
  }),
]);
