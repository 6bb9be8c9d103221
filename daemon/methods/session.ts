import type { Handler } from './index.js';

const loginUrl: Handler<'session.loginUrl'> = async (_params, ctx) => ({ mode: ctx.mode, url: ctx.link.loginUrl() });

const login: Handler<'session.login'> = async ({ request_token }, ctx) => {
  const session = await ctx.link.login(request_token);
  ctx.logger.info('session.login', { user: session.user_id, expires: session.expires_at });
  // The access token stays in somd's 0600 file: never in an answer.
  return {
    mode: ctx.mode,
    user_id: session.user_id,
    user_name: session.user_name,
    login_time: session.login_time,
    expires_at: session.expires_at,
  };
};

const logout: Handler<'session.logout'> = async (_params, ctx) => ({
  mode: ctx.mode,
  loggedOut: await ctx.link.logout(),
});

export const sessionHandlers = { 'session.loginUrl': loginUrl, 'session.login': login, 'session.logout': logout };
