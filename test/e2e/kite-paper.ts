import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { KiteConnect } from 'kiteconnect';
import type { PaperExchange } from '../../src/paper/exchange.js';
import type { Kite } from '../paper/conformance/paper-session.js';
import { type RunningSomd, som, type TempHome } from './harness.js';

/**
 * somd against the paper exchange as if it were the real Kite: kite mode, the paper's roots in
 * the config, an api_secret file, `som login --request-token`. The exchange runs in this test
 * process so it outlives somd restarts, and its faults are set through its own object.
 */
export const API_KEY = 'e2ebroker';
export const SECRET = 'paper';

export interface Harness {
  t: TempHome;
  ex: PaperExchange;
  somd: RunningSomd;
  /** The user's own Kite app (Kite web, mobile): orders placed outside som. */
  web: Kite;
  /** Where `som login` listens for Kite's redirect (the Kite app's registered redirect URL). */
  redirectPort: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Kite web is another app: logging somd in must not log it out (a new login replaces the app's own token). */
const WEB_KEY = 'e2eweb';

export async function requestToken(ex: PaperExchange, apiKey = API_KEY): Promise<string> {
  const res = await fetch(`${ex.restRoot}/connect/login?v=3&api_key=${apiKey}`, { redirect: 'manual' });
  return new URL(res.headers.get('location')!).searchParams.get('request_token')!;
}

export async function webSession(ex: PaperExchange): Promise<Kite> {
  const kc = new KiteConnect({ api_key: WEB_KEY, root: ex.restRoot });
  const session = await kc.generateSession(await requestToken(ex, WEB_KEY), SECRET);
  kc.setAccessToken(session.access_token);
  return kc;
}

export function writeConfig(t: TempHome, ex: PaperExchange, extra = ''): string {
  const config = join(t.dir, 'config.toml');
  writeFileSync(
    config,
    [
      '[broker]',
      'mode = "kite"',
      `api_key = "${API_KEY}"`,
      `rest_root = "${ex.restRoot}"`,
      `ws_root = "${ex.wsRoot}"`,
      `login_url = "${ex.restRoot}/connect/login"`,
      'refresh_seconds = 2',
      'timeout_ms = 1500',
      '',
    ].join('\n') + extra,
  );
  mkdirSync(t.home, { recursive: true, mode: 0o700 });
  writeFileSync(join(t.home, 'kite_api_secret'), `${SECRET}\n`, { mode: 0o600 });
  return config;
}

/**
 * Keep the risk engine's strategy limits out of the way of a test that is not about them.
 * Paper prices wander and every market order crosses the spread, so a test that holds
 * positions for a minute on a loaded machine can lose 10% of the margin it blocked (the default
 * loss limit) and find its next order refused; the default position and order-rate limits are
 * smaller than what these tests trade.
 */
export async function riskLimitsAside(t: TempHome): Promise<void> {
  const limits = [
    'max_loss_per_strategy_pct=100',
    'max_position_size_per_instrument=100000',
    'max_orders_per_minute=1000',
  ];
  const r = await som(t, ['settings', 'set', ...limits]);
  if (r.code !== 0) throw new Error(`som settings set: ${r.stderr}`);
}

/**
 * Drive one instrument's market with the paper exchange's admin API (`POST
 * /paper/admin/scenario/:instrument`): a price path, a wider spread, thinner depth, or a reset.
 */
export async function scenario(ex: PaperExchange, key: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${ex.restRoot}/paper/admin/scenario/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`scenario ${key}: ${res.status} ${await res.text()}`);
}

/**
 * Hold an instrument's price where it is for ten minutes of market time, so that a quote read
 * now still stands when an order priced from it arrives (the market ticks every 100 ms, and a
 * loaded machine can take longer than that between the two). End it with `{ reset: true }`.
 */
async function holdPrice(ex: PaperExchange, web: Kite, key: string): Promise<void> {
  const price = (await web.getLTP([key]))[key]!.last_price;
  // A path's points are at least a second ahead: the price is held from the first one on.
  const held = ex.clock.now().getTime() + 1000;
  await scenario(ex, key, {
    price_path: [
      { offset_ms: 1000, price },
      { offset_ms: 600_000, price },
    ],
  });
  await until('the price held', async () => ex.clock.now().getTime() > held);
}

/**
 * As the user on Kite web, a BUY LIMIT (MIS) at the instrument's best ask for more than that
 * level holds: part fills at once and the rest rests. The price is held first ({@link
 * holdPrice}), so the ask read is still the ask when the order arrives; end the hold with
 * `{ reset: true }`. A level's size varies up to about 4.7 times from one depth refresh to the
 * next, so the order asks five times the level, plus `extra`. Returns the order id.
 */
export async function buyPartlyAtAsk(ex: PaperExchange, web: Kite, key: string, extra: number): Promise<string> {
  await holdPrice(ex, web, key);
  const ask = (await web.getQuote([key]))[key]!.depth.sell[0]!;
  const [exchange, tradingsymbol] = key.split(':');
  const placed = await web.placeOrder('regular', {
    ...{ exchange, tradingsymbol, transaction_type: 'BUY', product: 'MIS', order_type: 'LIMIT' },
    ...{ quantity: ask.quantity * 5 + extra, price: ask.price },
  } as never);
  return placed.order_id;
}

/**
 * Poll `probe` every 40 ms until it gives a truthy value, or fail after `timeoutMs` saying what
 * was awaited, the probe's last error, and what `explain` says then (somd's log, the screen).
 * The default wait is generous: on a loaded two-core machine, somd, the exchange and the test
 * share the cores, and a step that takes 200 ms alone can take seconds.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  explain?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  const why = last ? `: ${(last as Error).message}` : '';
  throw new Error(`timed out waiting for ${what}${why}${explain ? `; ${explain()}` : ''}`);
}

/** For {@link until}'s `explain`: the last lines somd wrote to its log. */
export function somdSaid(somd: RunningSomd, lines = 40): () => string {
  return () => `somd said:\n${somd.stderr().split('\n').slice(-lines).join('\n')}`;
}
