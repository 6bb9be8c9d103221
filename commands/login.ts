import { createServer } from 'node:http';
import { parseQuantity } from '../src/domain/parse/quantity.js';
import { SomError } from '../src/protocol/errors.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/** The loopback port `som login` listens on for Kite's redirect; the Kite app's redirect URL must match. */
export const DEFAULT_REDIRECT_PORT = 5010;
/** How long `som login` waits for Kite's redirect, seconds. */
const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * Wait for Kite to redirect the browser to http://127.0.0.1:PORT/?request_token=...&status=success
 * and return the token. Kite sends `status=error` (or no token) when the user cancels.
 */
export function awaitRedirect(
  port: number,
  timeoutMs: number,
): Promise<{ server: () => void; token: Promise<string> }> {
  return new Promise((ready, fail) => {
    let settle: { resolve(t: string): void; reject(e: Error): void };
    const token = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const requestToken = url.searchParams.get('request_token');
      if (!requestToken || url.searchParams.get('status') !== 'success') {
        res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end('som: Kite did not send a request_token; try `som login` again.\n');
        if (url.searchParams.has('status'))
          settle.reject(new SomError('BROKER_SESSION', `Kite login failed (status ${url.searchParams.get('status')})`));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('som: logged in. You can close this tab.\n');
      settle.resolve(requestToken);
    });
    const timer = setTimeout(
      () => settle.reject(new SomError('FAILED', `no redirect from Kite within ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    const close = () => {
      clearTimeout(timer);
      server.close();
    };
    server.once('error', (err) =>
      fail(new SomError('FAILED', `cannot listen on 127.0.0.1:${port} for Kite's redirect: ${err.message}`)),
    );
    server.listen(port, '127.0.0.1', () => ready({ server: close, token }));
  });
}

export interface LoginOptions {
  requestToken?: string | undefined;
  port: number;
  timeout: number;
}

/** `som login`, `som logout`: the day's Kite session. */
export function loginCommand(deps: CliDeps): Command {
  return new Command('login')
    .description(summaryOf('login'))
    .option('--request-token <token>', 'use this request_token (from the redirect URL) instead of listening for it')
    .option(
      '--port <port>',
      "loopback port for Kite's redirect (your Kite app's redirect URL must be http://127.0.0.1:PORT/)",
      flag('--port', (v, f) => parseQuantity(v, f, { max: 65_535 })),
      DEFAULT_REDIRECT_PORT,
    )
    .option(
      '--timeout <seconds>',
      'how long to wait for the redirect',
      flag('--timeout', parseQuantity),
      DEFAULT_TIMEOUT_SECONDS,
    )
    .action(action(deps, (io, flags: LoginOptions) => runLogin(flags, io)));
}

/** `som logout`. */
export function logoutCommand(deps: CliDeps): Command {
  return new Command('logout').description(summaryOf('logout')).action(action(deps, (io) => runLogout(io)));
}

/** Sign in: in Kite mode, wait for Kite's redirect on loopback unless a request_token is given. */
export async function runLogin(opts: LoginOptions, io: CommandIO): Promise<void> {
  const client = await io.client();
  const { mode, url } = await client.call('session.loginUrl', {});
  let requestToken = opts.requestToken;
  if (mode === 'kite' && !requestToken) {
    const redirect = await awaitRedirect(opts.port, opts.timeout * 1000);
    try {
      io.note(
        `Open this page and sign in to Kite:\n\n  ${url}\n\nWaiting for Kite's redirect to http://127.0.0.1:${opts.port}/ ...`,
      );
      requestToken = await redirect.token;
    } finally {
      redirect.server();
    }
  }
  const session = await client.call('session.login', requestToken ? { request_token: requestToken } : {});
  const { formatIst } = await import('./ui/format.js');
  await io.print(
    session,
    () =>
      `logged in to ${mode === 'paper' ? 'the paper exchange' : 'Kite'} as ${session.user_id} (${session.user_name}); the session expires ${formatIst(session.expires_at)}`,
  );
}

/** Forget the day's session. */
export async function runLogout(io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('session.logout', {});
  await io.print(result, () => (result.loggedOut ? 'logged out' : 'was not logged in'));
}
