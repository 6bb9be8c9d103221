import { KiteConnect } from 'kiteconnect';
import { PaperExchange, type PaperExchangeOptions } from '../../../src/paper/exchange.js';

/** A price on the instrument's tick, as Kite requires, written without float noise. */
export const onTick = (price: number, tick: number) => Number((Math.round(price / tick) * tick).toFixed(2));

/** Wednesday 25 Nov 2026, 10:00 IST: a normal NSE trading session. */
export const MARKET_OPEN = new Date('2026-11-25T10:00:00+05:30');

/** An instance of the official client (the package exports the constructor's type under its name). */
export type Kite = InstanceType<typeof KiteConnect>;

export interface PaperSession {
  ex: PaperExchange;
  kc: Kite;
  apiKey: string;
  accessToken: string;
  /** The raw wire answer (status and JSON body) of a call with this session's token. */
  raw(
    path: string,
    init?: { method?: string; form?: Record<string, string>; json?: unknown },
  ): Promise<{ status: number; body: any }>;
}

/** Log in the way a Kite app does: follow /connect/login, then exchange the request token with the checksum. */
export async function login(
  restRoot: string,
  apiKey: string,
  apiSecret = 'paper',
): Promise<{ kc: Kite; accessToken: string }> {
  const res = await fetch(`${restRoot}/connect/login?v=3&api_key=${apiKey}`, { redirect: 'manual' });
  const requestToken = new URL(res.headers.get('location')!).searchParams.get('request_token')!;
  const kc = new KiteConnect({ api_key: apiKey, root: restRoot });
  const session = await kc.generateSession(requestToken, apiSecret);
  kc.setAccessToken(session.access_token);
  return { kc, accessToken: session.access_token };
}

export async function paperSession(
  options: Partial<PaperExchangeOptions> = {},
  apiKey = 'conformance',
): Promise<PaperSession> {
  // A long tick interval: tests drive the market with ex.sync() instead of waiting.
  const ex = await PaperExchange.start({ seed: 11, clock: MARKET_OPEN, tickIntervalMs: 60_000, ...options });
  const { kc, accessToken } = await login(ex.restRoot, apiKey);
  const raw: PaperSession['raw'] = async (path, init = {}) => {
    const headers: Record<string, string> = { 'X-Kite-Version': '3', Authorization: `token ${apiKey}:${accessToken}` };
    let body: string | undefined;
    if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(`${ex.restRoot}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(body ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  return { ex, kc, apiKey, accessToken, raw };
}
