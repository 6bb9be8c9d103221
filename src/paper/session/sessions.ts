/**
 * The paper exchange's login flow and sessions, as Kite Connect runs them:
 *
 * 1. GET /connect/login?v=3&api_key=K answers at once (no login page: there is one paper
 *    user) with a 302 to the configured redirect URL carrying
 *    `action=login&type=login&status=success&request_token=R` (the order Kite uses, quoted on
 *    kite.trade/forum/discussion/comment/48197), plus the caller's `redirect_params`.
 * 2. POST /session/token with api_key, request_token and checksum = SHA-256(api_key +
 *    request_token + api_secret) exchanges the request token (single use, five minutes) for
 *    an access token and the session document of generate_session.json.
 * 3. Every API call sends `Authorization: token api_key:access_token`; `authenticate` checks it.
 * 4. DELETE /session/token?api_key=&access_token= logs out; at 06:00 IST the token dies anyway.
 *
 * Any api_key is accepted if it signs with the configured api_secret. Each api_key has its own
 * access token; all act for the one paper user.
 *
 * Token material never leaves this module except in the session document returned to the
 * caller who logged in: errors name fields, never values, and `sessions()` lists no tokens.
 */
import type { Clock } from '../../market/clock.js';
import { istTimestamp } from '../../market/ist.js';
import { type SessionError, type SessionResult, sessionError } from './errors.js';
import { accessTokenExpiry, requestTokenExpiry, TOKEN_LIFETIMES } from './expiry.js';
import {
  cryptoRandom,
  type RandomBytes,
  randomAlphanumeric,
  randomEnctoken,
  secretsEqual,
  sessionChecksum,
  TOKEN_LENGTH,
} from './tokens.js';
import {
  DEFAULT_PAPER_USER,
  fullProfile,
  type KiteFullProfile,
  type KiteProfile,
  type KiteSession,
  type PaperUser,
  profile,
  sessionDocument,
} from './user.js';

export interface SessionConfig {
  /** Where GET /connect/login sends the browser (the app's registered redirect URL). */
  redirectUrl: string;
  /** The secret every api_key signs its checksum with. */
  apiSecret: string;
  user: PaperUser;
  requestTokenTtlMs: number;
  /** IST wall time at which access tokens are flushed. */
  accessTokenFlushTime: string;
  /**
   * A new session for an api_key ends that api_key's previous access token. Kite documents
   * that logging in elsewhere can invalidate a session (docs "Exceptions": "the user logging
   * into another Kite instance"); whether a second login through the same app always does is
   * not confirmed, so it is a setting.
   */
  replacePreviousSession: boolean;
}

export const DEFAULT_SESSION_CONFIG: Readonly<SessionConfig> = {
  redirectUrl: 'http://127.0.0.1:5010/login',
  apiSecret: 'paper',
  user: DEFAULT_PAPER_USER,
  requestTokenTtlMs: TOKEN_LIFETIMES.requestTokenMs,
  accessTokenFlushTime: TOKEN_LIFETIMES.accessTokenFlushTime,
  replacePreviousSession: true,
};

/** GET /connect/login query. */
export interface LoginParams {
  api_key?: string;
  v?: string;
  /** URL-encoded query string Kite hands back to the redirect URL untouched. */
  redirect_params?: string;
}

/** The answer to GET /connect/login: HTTP 302 with this Location. */
export interface LoginRedirect {
  location: string;
}

/** POST /session/token form. */
export interface GenerateSessionParams {
  api_key?: string;
  request_token?: string;
  checksum?: string;
}

/** DELETE /session/token query. */
export interface LogoutParams {
  api_key?: string;
  access_token?: string;
}

/** Who an authenticated request acts for. Carries no token. */
export interface AuthenticatedSession {
  api_key: string;
  user_id: string;
  /** `YYYY-MM-DD HH:mm:ss` IST. */
  login_time: string;
  expires_at: Date;
}

/** Which sessions the admin/fault layer ends: all, or one api_key's. */
export interface InvalidateScope {
  api_key?: string;
}

interface RequestTokenEntry {
  api_key: string;
  expires_at: number;
}

interface AccessEntry {
  api_key: string;
  login_time: string;
  expires_at: Date;
}

const AUTH_HEADER = /^token\s+([^\s:]+):(\S+)\s*$/;

const fail = <T>(error: SessionError): SessionResult<T> => ({ ok: false, error });
const present = (s: string | undefined): s is string => typeof s === 'string' && s.length > 0;

export class SessionManager {
  readonly #clock: Clock;
  readonly #config: SessionConfig;
  readonly #random: RandomBytes;
  readonly #requestTokens = new Map<string, RequestTokenEntry>();
  readonly #accessTokens = new Map<string, AccessEntry>();
  /** api_key -> its current access token. */
  readonly #byApiKey = new Map<string, string>();

  constructor(options: { clock: Clock; config?: Partial<SessionConfig>; random?: RandomBytes }) {
    this.#clock = options.clock;
    this.#config = { ...DEFAULT_SESSION_CONFIG, ...options.config };
    this.#random = options.random ?? cryptoRandom;
    // Fail at start-up, not at the first login, on a redirect URL that cannot be parsed.
    new URL(this.#config.redirectUrl);
  }

  /** The user every session acts for. */
  get user(): PaperUser {
    return this.#config.user;
  }

  /**
   * GET /connect/login: records a fresh request token for `api_key` and returns where to
   * redirect the browser. The token is good for one exchange within `requestTokenTtlMs`.
   */
  login(params: LoginParams): SessionResult<LoginRedirect> {
    if (!present(params.api_key)) return fail(sessionError('MISSING_API_KEY'));
    const now = this.#clock.now();
    this.#dropExpiredRequestTokens(now.getTime());

    const requestToken = randomAlphanumeric(TOKEN_LENGTH, this.#random);
    this.#requestTokens.set(requestToken, {
      api_key: params.api_key,
      expires_at: requestTokenExpiry(now, this.#config.requestTokenTtlMs).getTime(),
    });

    const url = new URL(this.#config.redirectUrl);
    url.searchParams.append('action', 'login');
    url.searchParams.append('type', 'login');
    url.searchParams.append('status', 'success');
    url.searchParams.append('request_token', requestToken);
    if (present(params.redirect_params)) {
      for (const [k, v] of new URLSearchParams(params.redirect_params)) url.searchParams.append(k, v);
    }
    return { ok: true, value: { location: url.toString() } };
  }

  /**
   * POST /session/token: checks the request token (known, unexpired, unused, issued to this
   * api_key) and then the checksum. A wrong checksum leaves the request token usable, so a
   * client with a mistyped secret can retry within the token's lifetime; a successful exchange
   * uses it up.
   */
  generateSession(params: GenerateSessionParams): SessionResult<KiteSession> {
    if (!present(params.api_key)) return fail(sessionError('MISSING_API_KEY'));
    if (!present(params.request_token)) return fail(sessionError('MISSING_REQUEST_TOKEN'));
    if (!present(params.checksum)) return fail(sessionError('MISSING_CHECKSUM'));
    const now = this.#clock.now();

    const entry = this.#requestTokens.get(params.request_token);
    if (!entry || entry.api_key !== params.api_key || entry.expires_at <= now.getTime()) {
      return fail(sessionError('REQUEST_TOKEN_INVALID'));
    }
    const expected = sessionChecksum(params.api_key, params.request_token, this.#config.apiSecret);
    if (!secretsEqual(expected, params.checksum.toLowerCase())) return fail(sessionError('CHECKSUM_INVALID'));
    this.#requestTokens.delete(params.request_token);

    if (this.#config.replacePreviousSession) {
      const previous = this.#byApiKey.get(params.api_key);
      if (previous !== undefined) this.#accessTokens.delete(previous);
    }
    const accessToken = randomAlphanumeric(TOKEN_LENGTH, this.#random);
    const loginTime = istTimestamp(now);
    this.#accessTokens.set(accessToken, {
      api_key: params.api_key,
      login_time: loginTime,
      expires_at: accessTokenExpiry(now, this.#config.accessTokenFlushTime),
    });
    this.#byApiKey.set(params.api_key, accessToken);

    return {
      ok: true,
      value: sessionDocument(this.#config.user, {
        api_key: params.api_key,
        access_token: accessToken,
        public_token: randomAlphanumeric(TOKEN_LENGTH, this.#random),
        enctoken: randomEnctoken(this.#random),
        login_time: loginTime,
      }),
    };
  }

  /** DELETE /session/token: ends the session; `data: true` as in session_logout.json. */
  logout(params: LogoutParams): SessionResult<true> {
    if (!present(params.api_key)) return fail(sessionError('MISSING_API_KEY'));
    if (!present(params.access_token)) return fail(sessionError('MISSING_ACCESS_TOKEN'));
    const found = this.#live(params.api_key, params.access_token);
    if (!found) return fail(sessionError('ACCESS_TOKEN_INVALID'));
    this.#end(params.access_token);
    return { ok: true, value: true };
  }

  /**
   * Checks `Authorization: token api_key:access_token` for an API call. Missing, malformed,
   * unknown, logged-out and expired tokens all get Kite's one answer: TokenException, HTTP 403,
   * "Incorrect `api_key` or `access_token`.".
   */
  authenticate(authorization: string | undefined | null): SessionResult<AuthenticatedSession> {
    const m = AUTH_HEADER.exec(authorization ?? '');
    const apiKey = m?.[1];
    const accessToken = m?.[2];
    if (apiKey === undefined || accessToken === undefined) return fail(sessionError('ACCESS_TOKEN_INVALID'));
    const found = this.#live(apiKey, accessToken);
    if (!found) return fail(sessionError('ACCESS_TOKEN_INVALID'));
    return {
      ok: true,
      value: {
        api_key: found.api_key,
        user_id: this.#config.user.user_id,
        login_time: found.login_time,
        expires_at: found.expires_at,
      },
    };
  }

  /**
   * Ends sessions for the admin/fault layer: every session, or only `scope.api_key`'s.
   * Outstanding request tokens in scope go too. Returns how many access tokens ended.
   */
  invalidate(scope: InvalidateScope = {}): number {
    let ended = 0;
    for (const [token, entry] of [...this.#accessTokens]) {
      if (scope.api_key === undefined || entry.api_key === scope.api_key) {
        this.#end(token);
        ended++;
      }
    }
    for (const [token, entry] of [...this.#requestTokens]) {
      if (scope.api_key === undefined || entry.api_key === scope.api_key) this.#requestTokens.delete(token);
    }
    return ended;
  }

  /** The live sessions, for status pages and logs: no token material. */
  sessions(): AuthenticatedSession[] {
    const now = this.#clock.now().getTime();
    return [...this.#accessTokens.values()]
      .filter((e) => e.expires_at.getTime() > now)
      .map((e) => ({
        api_key: e.api_key,
        user_id: this.#config.user.user_id,
        login_time: e.login_time,
        expires_at: e.expires_at,
      }));
  }

  /** GET /user/profile `data`. */
  profile(): KiteProfile {
    return profile(this.#config.user);
  }

  /** GET /user/profile/full `data`. */
  fullProfile(): KiteFullProfile {
    return fullProfile(this.#config.user);
  }

  #live(apiKey: string, accessToken: string): AccessEntry | undefined {
    const entry = this.#accessTokens.get(accessToken);
    if (!entry || entry.api_key !== apiKey) return undefined;
    if (entry.expires_at.getTime() <= this.#clock.now().getTime()) {
      this.#end(accessToken);
      return undefined;
    }
    return entry;
  }

  #end(accessToken: string): void {
    const entry = this.#accessTokens.get(accessToken);
    this.#accessTokens.delete(accessToken);
    if (entry && this.#byApiKey.get(entry.api_key) === accessToken) this.#byApiKey.delete(entry.api_key);
  }

  #dropExpiredRequestTokens(nowMs: number): void {
    for (const [token, entry] of [...this.#requestTokens]) {
      if (entry.expires_at <= nowMs) this.#requestTokens.delete(token);
    }
  }
}
