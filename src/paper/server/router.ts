import type { Params } from './request-params.js';

/** What a route handler gets: the path parameters, the request parameters, the caller. */
export interface RouteRequest {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  params: Params;
  /** The api_key the request authenticated as (null for unauthenticated routes). */
  apiKey: string | null;
  headers: Record<string, string | string[] | undefined>;
}

/** A handler's answer: `data` for Kite's success envelope, or a raw body (CSV, redirects). */
export type RouteResult =
  | { data: unknown }
  | { raw: string | Buffer; contentType: string; status?: number; headers?: Record<string, string> };

export interface Route {
  method: string;
  pattern: string;
  /** Routes outside Kite's API (login redirect, admin) do their own authentication. */
  auth: boolean;
  /** The rate-limit class the request counts against. */
  limit: RateClass;
  handle(req: RouteRequest): Promise<RouteResult> | RouteResult;
}

export type RateClass = 'quote' | 'historical' | 'order' | 'other' | 'none';

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Tiny method + path router: `/orders/{variety}/{order_id}` style patterns, as Kite's docs write them. */
export class Router {
  readonly #routes: Compiled[] = [];

  add(route: Route): this {
    const names: string[] = [];
    const source = route.pattern.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.#routes.push({ route, regex: new RegExp(`^${source}/?$`), names });
    return this;
  }

  /** The route and its path parameters; `methodMismatch` when the path exists under another method. */
  match(
    method: string,
    path: string,
  ): { route: Route; pathParams: Record<string, string> } | { methodMismatch: boolean } {
    let mismatch = false;
    for (const { route, regex, names } of this.#routes) {
      const m = regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        mismatch = true;
        continue;
      }
      const pathParams: Record<string, string> = {};
      for (const [i, n] of names.entries()) pathParams[n] = decodeURIComponent(m[i + 1]!);
      return { route, pathParams };
    }
    return { methodMismatch: mismatch };
  }
}
