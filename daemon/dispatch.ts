import { ERRORS, type ErrorCode, SomError } from '../src/protocol/errors.js';
import { describeIssues } from '../src/protocol/issues.js';
import { type RequestId, type Response, requestSchema } from '../src/protocol/jsonrpc.js';
import { isMethodName, METHODS } from '../src/protocol/methods.js';
import { type ClientChannel, NO_CHANNEL } from './client-channel.js';
import type { DaemonContext } from './context.js';
import type { Handlers } from './methods/index.js';

/**
 * One request line in, one response line out (null for notifications). Nothing a client
 * sends can throw out of here: every failure becomes a JSON-RPC error object.
 */
export async function dispatchLine(
  line: string,
  handlers: Handlers,
  ctx: DaemonContext,
  shuttingDown = false,
  client: ClientChannel = NO_CHANNEL,
): Promise<string | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return errorLine(null, 'PARSE_ERROR', `parse error: ${(err as Error).message}`);
  }
  if (Array.isArray(raw)) {
    return errorLine(null, 'INVALID_REQUEST', 'batch requests are not supported; send one request object per line');
  }
  if (raw === null || typeof raw !== 'object') {
    return errorLine(null, 'INVALID_REQUEST', 'a request is a JSON object {"jsonrpc":"2.0","method":...,"id":...}');
  }
  const rawId = (raw as { id?: unknown }).id;
  const safeId: RequestId = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const request = requestSchema.safeParse(raw, { reportInput: true });
  if (!request.success) {
    return errorLine(safeId, 'INVALID_REQUEST', `invalid request: ${describeIssues(request.error.issues, raw)}`);
  }
  const { method, params, id } = request.data;
  const isNotification = id === undefined;
  const answer = (response: string) => (isNotification ? null : response);
  if (shuttingDown)
    return answer(errorLine(id ?? null, 'SHUTTING_DOWN', 'somd is shutting down; try again when it is back'));

  if (!isMethodName(method)) {
    return answer(errorLine(id ?? null, 'METHOD_NOT_FOUND', `unknown method ${method}`));
  }
  if (Array.isArray(params)) {
    return answer(errorLine(id ?? null, 'INVALID_PARAMS', `${method}: params must be an object with named fields`));
  }
  const spec = METHODS[method];
  // reportInput: the wording names the value that was refused.
  const parsed = spec.params.safeParse(params ?? {}, { reportInput: true });
  if (!parsed.success) {
    return answer(
      errorLine(id ?? null, 'INVALID_PARAMS', describeIssues(parsed.error.issues, params), {
        method,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: describeIssues([i], params) })),
      }),
    );
  }
  const started = performance.now();
  const logDone = (outcome: string) =>
    ctx.logger.debug('rpc', {
      method,
      id: id ?? null,
      outcome,
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
  try {
    const handler = handlers[method] as (p: unknown, c: DaemonContext, client: ClientChannel) => Promise<unknown>;
    const result = await handler(parsed.data, ctx, client);
    logDone('ok');
    const checked = spec.result.safeParse(result);
    if (!checked.success) {
      // A handler broke the protocol's promise: a bug in som, never the client's fault.
      ctx.logger.error('rpc.bad_result', { method, issues: describeIssues(checked.error.issues, result) });
      return answer(
        errorLine(id ?? null, 'INTERNAL_ERROR', `internal error in ${method}: result does not match its schema`),
      );
    }
    const response: Response = { jsonrpc: '2.0', id: id ?? null, result: checked.data };
    return answer(JSON.stringify(response));
  } catch (err) {
    logDone(err instanceof SomError ? err.code : 'INTERNAL_ERROR');
    if (err instanceof SomError) return answer(errorLine(id ?? null, err.code, err.message, err.data));
    ctx.logger.error('rpc.failed', { method, error: (err as Error).message, stack: (err as Error).stack });
    return answer(errorLine(id ?? null, 'INTERNAL_ERROR', `internal error in ${method}: ${(err as Error).message}`));
  }
}

/** A JSON-RPC error response line, its symbolic code carried in `data.code`. */
export function errorLine(id: RequestId, code: ErrorCode, message: string, data?: Record<string, unknown>): string {
  const response: Response = {
    jsonrpc: '2.0',
    id,
    error: { code: ERRORS[code].rpc, message, data: { code, ...data } },
  };
  return JSON.stringify(response);
}
