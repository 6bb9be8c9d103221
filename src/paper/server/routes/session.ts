import type { SessionManager, SessionResult } from '../../session/index.js';
import { KiteError, type KiteErrorType } from '../kite-error.js';
import type { Route } from '../router.js';

/** Turn a session result into its value, or the Kite error it stands for. */
export function sessionValue<T>(result: SessionResult<T>): T {
  if (result.ok) return result.value;
  throw new KiteError(result.error.error_type as KiteErrorType, result.error.message, result.error.http_status);
}

/** Login, session and user endpoints (kite.trade/docs/connect/v3/user). */
export function sessionRoutes(sessions: SessionManager): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/connect/login',
      auth: false,
      limit: 'none',
      handle: ({ params }) => {
        const login: Parameters<SessionManager['login']>[0] = {};
        const apiKey = params.optional('api_key');
        const v = params.optional('v');
        const redirectParams = params.optional('redirect_params');
        if (apiKey !== undefined) login.api_key = apiKey;
        if (v !== undefined) login.v = v;
        if (redirectParams !== undefined) login.redirect_params = redirectParams;
        const { location } = sessionValue(sessions.login(login));
        return { raw: '', contentType: 'text/plain', status: 302, headers: { Location: location } };
      },
    },
    {
      method: 'POST',
      pattern: '/session/token',
      auth: false,
      limit: 'other',
      handle: ({ params }) => ({
        data: sessionValue(
          sessions.generateSession({
            api_key: params.optional('api_key') ?? '',
            request_token: params.optional('request_token') ?? '',
            checksum: params.optional('checksum') ?? '',
          }),
        ),
      }),
    },
    {
      method: 'DELETE',
      pattern: '/session/token',
      auth: false,
      limit: 'other',
      handle: ({ params }) => ({
        data: sessionValue(
          sessions.logout({
            api_key: params.optional('api_key') ?? '',
            access_token: params.optional('access_token') ?? '',
          }),
        ),
      }),
    },
    {
      method: 'GET',
      pattern: '/user/profile',
      auth: true,
      limit: 'other',
      handle: () => ({ data: sessions.profile() }),
    },
    {
      method: 'GET',
      pattern: '/user/profile/full',
      auth: true,
      limit: 'other',
      handle: () => ({ data: sessions.fullProfile() }),
    },
  ];
}
