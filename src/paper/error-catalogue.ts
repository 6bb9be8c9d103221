/**
 * The shape shared by the paper exchange's error catalogues (matching/rejections.ts and the
 * gtt, alerts and historical messages.ts): every refusal an endpoint can give, with Kite's
 * error_type and HTTP status, its message, and where that wording was found.
 */
import type { KiteErrorType } from './server/kite-error.js';

/** One refusal: how Kite answers it, and the evidence for its wording. */
export interface MessageSpec<P> {
  error_type: KiteErrorType;
  http_status: number;
  /** The text (or the rule) was seen in Kite's docs, samples or responses; false when composed in Kite's style. */
  confirmed: boolean;
  /** Where the wording or the rule was found. */
  source: string;
  /** The message, from what it needs to say (`P`, or nothing). */
  render: (p: P) => string;
}

/** Declares one catalogue entry whose message takes `P` (nothing by default). */
export function messageSpec<P = void>(s: MessageSpec<P>): MessageSpec<P> {
  return s;
}

/** The arguments after the code for a catalogue entry: none, or its message parameters. */
export type MessageParams<S> = S extends MessageSpec<infer P> ? (P extends void ? [] : [P]) : never;

/** Kite's answer to a missing or empty parameter, the same on every endpoint. */
export const MISSING_FIELD = messageSpec<{ field: string }>({
  error_type: 'InputException',
  http_status: 400,
  confirmed: true,
  source:
    'kite.trade forum: "kiteconnect.exceptions.InputException: Missing or empty field `product`"; public issue: "Missing or empty field `exchange`"',
  render: (p) => `Missing or empty field \`${p.field}\``,
});

/**
 * A refusal as a value: `code` for programs, the rest as Kite answers
 * (`{ status: "error", message, error_type, data: null }` with that HTTP status).
 */
export interface CatalogueError<C extends string = string> {
  code: C;
  message: string;
  error_type: KiteErrorType;
  http_status: number;
}

/** Prices as Kite prints them in messages: no trailing zeros (GTT sample "70.65"). */
export function formatPrice(n: number): string {
  return String(Number(n.toFixed(6)));
}
