/**
 * A loopback server carrying only the routes under test, behind the paper exchange's own
 * HTTP front (envelope, auth, errors), with the official kiteconnect client logged in to it.
 */
import { readFileSync } from 'node:fs';
import { KiteConnect } from 'kiteconnect';
import { Faults } from '../../../src/paper/faults.js';
import { PaperHttpServer } from '../../../src/paper/server/http-server.js';
import { KiteError } from '../../../src/paper/server/kite-error.js';
import { RateLimiter } from '../../../src/paper/server/rate-limit.js';
import { type Route, Router } from '../../../src/paper/server/router.js';

export type Kite = InstanceType<typeof KiteConnect>;

const API_KEY = 'routes';
const ACCESS_TOKEN = 'secret';

export interface RouteServer {
  kc: Kite;
  /** The wire answer (status and parsed JSON body) of a request with the session's token. */
  raw(
    path: string,
    init?: { method?: string; form?: Record<string, string | string[]> },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function serveRoutes(routes: Route[]): Promise<RouteServer> {
  const router = new Router();
  for (const r of routes) router.add(r);
  const http = new PaperHttpServer({
    router,
    faults: new Faults(1),
    rateLimiter: new RateLimiter(false),
    authenticate: (header) => {
      if (header !== `token ${API_KEY}:${ACCESS_TOKEN}`)
        throw new KiteError('TokenException', 'Incorrect `api_key` or `access_token`.');
      return API_KEY;
    },
  });
  const port = await http.listen(0);
  const root = `http://127.0.0.1:${port}`;
  const kc = new KiteConnect({ api_key: API_KEY, root });
  kc.setAccessToken(ACCESS_TOKEN);
  const raw: RouteServer['raw'] = async (path, init = {}) => {
    const headers: Record<string, string> = {
      'X-Kite-Version': '3',
      Authorization: `token ${API_KEY}:${ACCESS_TOKEN}`,
    };
    let body: string | undefined;
    if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form))
        for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
      body = search.toString();
    }
    const res = await fetch(`${root}${path}`, { method: init.method ?? 'GET', headers, ...(body ? { body } : {}) });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  return { kc, raw, close: () => http.close() };
}

/** One of Kite's sample responses (test/fixtures/kite). */
export function kiteFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/kite/${name}`, import.meta.url), 'utf8'));
}
