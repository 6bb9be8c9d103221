/**
 * Text messages a Kite ticker client sends (Kite v3 WebSocket docs, "Request structure"):
 *   {"a": "subscribe",   "v": [408065, 884737]}
 *   {"a": "unsubscribe", "v": [408065]}
 *   {"a": "mode",        "v": ["full", [408065]]}
 */
import { z } from 'zod';
import { TICK_MODES, type TickMode } from './packet.js';

/**
 * "You can subscribe for up to 3000 instruments on a single WebSocket connection" (Kite v3
 * WebSocket docs; Zerodha's forum confirms tokens past the cap get an error, the connection stays).
 */
export const MAX_TOKENS_PER_CONNECTION = 3000;

export type TickProtocolErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_MESSAGE'
  | 'UNKNOWN_ACTION'
  | 'INVALID_MODE'
  | 'INVALID_TOKENS'
  | 'TOO_MANY_TOKENS';

export interface TickProtocolError {
  code: TickProtocolErrorCode;
  message: string;
}

/** A client request, with Kite's one-letter keys spelled out. */
export type ClientMessage =
  | { action: 'subscribe'; tokens: number[] }
  | { action: 'unsubscribe'; tokens: number[] }
  | { action: 'mode'; mode: TickMode; tokens: number[] };

export type ParseClientMessageResult = { ok: true; message: ClientMessage } | { ok: false; error: TickProtocolError };

/** Instrument tokens travel as uint32 in tick packets. */
const tokenSchema = z.number().int().min(0).max(0xffff_ffff);
const tokensSchema = z.array(tokenSchema);
const modeSchema = z.enum(TICK_MODES);

/** The wire shape of every valid client message, for documentation and reuse. */
export const clientMessageSchema = z.discriminatedUnion('a', [
  z.object({ a: z.literal('subscribe'), v: tokensSchema }),
  z.object({ a: z.literal('unsubscribe'), v: tokensSchema }),
  z.object({ a: z.literal('mode'), v: z.tuple([modeSchema, tokensSchema]) }),
]);

const envelopeSchema = z.object({ a: z.string(), v: z.unknown() });
const modeArgsSchema = z.tuple([z.unknown(), z.unknown()]);

/**
 * Parse one text message. Checks run outside-in so the error names the first thing wrong:
 * JSON, then the `{a, v}` envelope, the action, the mode, the tokens.
 */
export function parseClientMessage(data: string | Buffer): ParseClientMessageResult {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('INVALID_JSON', 'message is not valid JSON');
  }

  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return fail('INVALID_MESSAGE', 'message must be a JSON object with a string "a" (action) and a "v" (value)');
  }
  const { a, v } = envelope.data;

  switch (a) {
    case 'subscribe':
    case 'unsubscribe': {
      const tokens = parseTokens(v);
      return 'error' in tokens ? { ok: false, error: tokens.error } : ok({ action: a, tokens: tokens.tokens });
    }
    case 'mode': {
      const args = modeArgsSchema.safeParse(v);
      if (!args.success) {
        return fail('INVALID_MESSAGE', '"mode" takes "v": [mode, [tokens]]');
      }
      const [rawMode, rawTokens] = args.data;
      const mode = modeSchema.safeParse(rawMode);
      if (!mode.success) {
        return fail('INVALID_MODE', `unknown mode ${JSON.stringify(rawMode)}: expected ${TICK_MODES.join(', ')}`);
      }
      const tokens = parseTokens(rawTokens);
      return 'error' in tokens
        ? { ok: false, error: tokens.error }
        : ok({ action: 'mode', mode: mode.data, tokens: tokens.tokens });
    }
    default:
      return fail('UNKNOWN_ACTION', `unknown action ${JSON.stringify(a)}: expected subscribe, unsubscribe or mode`);
  }
}

function parseTokens(v: unknown): { tokens: number[] } | { error: TickProtocolError } {
  const parsed = tokensSchema.safeParse(v);
  if (parsed.success) return { tokens: parsed.data };
  if (!Array.isArray(v)) {
    return { error: { code: 'INVALID_TOKENS', message: 'tokens must be an array of instrument tokens' } };
  }
  const bad = v.find((t) => !tokenSchema.safeParse(t).success);
  return {
    error: {
      code: 'INVALID_TOKENS',
      message: `instrument token ${JSON.stringify(bad)} is not a non-negative integer below 2^32`,
    },
  };
}

function ok(message: ClientMessage): ParseClientMessageResult {
  return { ok: true, message };
}

function fail(code: TickProtocolErrorCode, message: string): ParseClientMessageResult {
  return { ok: false, error: { code, message } };
}
