import { z } from 'zod';

export {
  MAX_LINE_BYTES,
  type Notification,
  PROTOCOL_VERSION,
  type RequestId,
  type Response,
  type RpcErrorObject,
} from './framing.js';

/** The schema of a request line, as the daemon checks it (./framing.ts has the rest of the framing). */
export const requestIdSchema = z.union([z.string(), z.number(), z.null()]);

export const requestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  id: requestIdSchema.optional(),
});
export type Request = z.infer<typeof requestSchema>;
