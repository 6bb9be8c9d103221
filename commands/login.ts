import { createServer } from 'node:http';
import type { Command } from 'commander';
import { SomError } from '../src/protocol/errors.js';
import { action, usageError } from './context.js';
import { formatIst } from './ui/format.js';

/** The loopback port `som login` listens on for Kite's redirect; the Kite app's redirect URL must match. */
export const DEFAULT_REDIRECT_PORT = 5010;

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

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('sign in to Kite for the day (paper mode: automatic); somd keeps the token in a 0600 file')
    .option('--request-token <token>', 'use this request_token (from the redirect URL) instead of listening for it')
    .option(
      '--port <port>',
      "loopback port for Kite's redirect (your Kite app's redirect URL must be http://127.0.0.1:PORT/)",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw usageError(`--port must be a port number, not "${v}"`);
        return n;
      },
      DEFAULT_REDIRECT_PORT,
    )
    .option('--timeout <seconds>', 'how long to wait for the redirect', (v) => Number(v), 300)
    .action(
      action(async (ctx, opts: { requestToken?: string; port: number; timeout: number }) => {
        const client = await ctx.client();
        const { mode, url } = await client.call('session.loginUrl', {});
        let requestToken = opts.requestToken;
        if (mode === 'kite' && !requestToken) {
          const redirect = await awaitRedirect(opts.port, opts.timeout * 1000);
          try {
            process.stderr.write(
              `Open this page and sign in to Kite:\n\n  ${url}\n\nWaiting for Kite's redirect to http://127.0.0.1:${opts.port}/ ...\n`,
            );
            requestToken = await redirect.token;
          } finally {
            redirect.server();
          }
        }
        const session = await client.call('session.login', requestToken ? { request_token: requestToken } : {});
        ctx.print(
          session,
          () =>
            `logged in to ${mode === 'paper' ? 'the paper exchange' : 'Kite'} as ${session.user_id} (${session.user_name}); the session expires ${formatIst(session.expires_at)}`,
        );
      }),
    );

  program
    .command('logout')
    .description("forget the day's access token (order placement stops until the next login)")
    .action(
      action(async (ctx) => {
        const result = await (await ctx.client()).call('session.logout', {});
        ctx.print(result, () => (result.loggedOut ? 'logged out' : 'was not logged in'));
      }),
    );
}
