import type { IncomingMessage } from 'node:http';
import { inputError, KiteError } from './kite-error.js';

/** Largest request body the paper exchange reads (Kite's own limit is not published). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Request parameters as Kite reads them: query string for GET/DELETE, form or JSON body otherwise. */
export class Params {
  constructor(
    readonly values: Record<string, string | string[]>,
    readonly json: unknown = undefined,
  ) {}

  /** A required parameter; Kite answers InputException naming it when missing. */
  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined || v === '') throw inputError(`Missing or empty field \`${name}\``);
    return v;
  }

  optional(name: string): string | undefined {
    const v = this.values[name];
    return Array.isArray(v) ? v[v.length - 1] : v;
  }

  all(name: string): string[] {
    const v = this.values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /** A number parameter: absent gives the fallback; present but not a number is InputException. */
  number(name: string, fallback?: number): number | undefined {
    const v = this.optional(name);
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw inputError(`Invalid \`${name}\`: ${v}`);
    return n;
  }
}

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const query = collect(url.searchParams);
  if (req.method === 'GET' || req.method === 'DELETE') return new Params(query);
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type === 'application/json') {
    if (body.length === 0) return new Params(query, undefined);
    try {
      return new Params(query, JSON.parse(body.toString('utf8')));
    } catch {
      throw inputError('Invalid JSON body');
    }
  }
  return new Params({ ...query, ...collect(new URLSearchParams(body.toString('utf8'))) });
}

function collect(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of search) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new KiteError('InputException', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
