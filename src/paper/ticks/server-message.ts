/**
 * Text messages the ticker server sends alongside the binary ticks (Kite v3 WebSocket docs,
 * "Postbacks and non-binary updates"): `{"type": ..., "data": ...}` where type is `order` (data:
 * the order postback payload), `error` (data: the error string) or `message` (data: a broker
 * message string). The official JS client raises `order_update` for `order` and ignores the rest.
 */

/** An order update, `data` being the order in Kite's postback shape. */
export function orderUpdateText(order: unknown): string {
  return JSON.stringify({ type: 'order', data: order });
}

/** An error for the client, e.g. a malformed request or tokens over the subscription cap. */
export function errorText(message: string): string {
  return JSON.stringify({ type: 'error', data: message });
}

/** A broker message or alert shown to the user. */
export function brokerMessageText(message: string): string {
  return JSON.stringify({ type: 'message', data: message });
}
