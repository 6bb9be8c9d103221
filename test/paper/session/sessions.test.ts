import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/market/clock.js';
import {
  accessTokenExpiry,
  type SessionError,
  SessionManager,
  type SessionResult,
} from '../../../src/paper/session/index.js';
import { envelope, kiteFixture, shapeDiff } from '../account/same-shape.js';

/** 2026-03-02 16:15:14 IST (10:45:14 UTC), a Monday. */
const START = '2026-03-02T10:45:14Z';
const REDIRECT = 'http://127.0.0.1:5010/login';
const ALNUM32 = /^[A-Za-z0-9]{32}$/;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function setup(start: string = START, secret?: string) {
  const clock = new ManualClock(start);
  const sessions = new SessionManager({
    clock,
    config: { redirectUrl: REDIRECT, ...(secret ? { apiSecret: secret } : {}) },
  });
  return { clock, sessions };
}

function ok<T>(r: SessionResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
}

function err<T>(r: SessionResult<T>): SessionError {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

function requestTokenOf(location: string): string {
  const t = new URL(location).searchParams.get('request_token');
  if (!t) throw new Error('no request_token in Location');
  return t;
}

/** Logs in the way a client does: login URL, then the token exchange signed with `secret`. */
function login(sessions: SessionManager, apiKey: string, secret = 'paper') {
  const rt = requestTokenOf(ok(sessions.login({ api_key: apiKey, v: '3' })).location);
  return ok(sessions.generateSession({ api_key: apiKey, request_token: rt, checksum: sha256(apiKey + rt + secret) }));
}

describe('GET /connect/login', () => {
  it('redirects at once to the redirect URL with Kite query: action, type, status, request_token', () => {
    const { sessions } = setup();
    const { location } = ok(sessions.login({ api_key: 'kitefront', v: '3' }));
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect([...url.searchParams.keys()]).toEqual(['action', 'type', 'status', 'request_token']);
    expect(url.searchParams.get('action')).toBe('login');
    expect(url.searchParams.get('type')).toBe('login');
    expect(url.searchParams.get('status')).toBe('success');
    expect(url.searchParams.get('request_token')).toMatch(ALNUM32);
  });

  it('hands redirect_params back and keeps a query the redirect URL already has', () => {
    const clock = new ManualClock(START);
    const sessions = new SessionManager({ clock, config: { redirectUrl: 'https://app.example/cb?app=som' } });
    const { location } = ok(sessions.login({ api_key: 'k', redirect_params: 'user=abc%20d&x=1' }));
    const q = new URL(location).searchParams;
    expect(q.get('app')).toBe('som');
    expect(q.get('user')).toBe('abc d');
    expect(q.get('x')).toBe('1');
    expect(q.get('status')).toBe('success');
  });

  it('gives a new request token on every login', () => {
    const { sessions } = setup();
    const a = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    const b = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    expect(a).not.toBe(b);
  });

  it('refuses a login without api_key', () => {
    const { sessions } = setup();
    expect(err(sessions.login({})).error_type).toBe('InputException');
  });
});

describe('POST /session/token', () => {
  it('exchanges a request token signed with SHA-256(api_key + request_token + api_secret) for a session', () => {
    const { sessions } = setup();
    const s = login(sessions, 'kitefront');
    expect(s.api_key).toBe('kitefront');
    expect(s.user_id).toBe('PA0001');
    expect(s.access_token).toMatch(ALNUM32);
    expect(s.public_token).toMatch(ALNUM32);
    expect(s.refresh_token).toBe('');
    // 10:45:14 UTC is 16:15:14 IST.
    expect(s.login_time).toBe('2026-03-02 16:15:14');
  });

  it('answers in generate_session.json shape', () => {
    const { sessions } = setup();
    const s = login(sessions, 'kitefront');
    // The sample user has an avatar; the paper user has none, which Kite sends as null (profile.json).
    expect(shapeDiff(envelope(s), kiteFixture('generate_session.json'), { nullable: ['data.avatar_url'] })).toEqual([]);
  });

  it('accepts the configured api_secret and refuses any other with Invalid `checksum`', () => {
    const { sessions } = setup(START, 's3cret');
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    const bad = err(sessions.generateSession({ api_key: 'k', request_token: rt, checksum: sha256(`k${rt}paper`) }));
    expect(bad).toEqual({
      code: 'CHECKSUM_INVALID',
      error_type: 'TokenException',
      message: 'Invalid `checksum`.',
      http_status: 403,
    });
    // The wrong checksum did not use the request token up: the right one still works.
    const good = ok(sessions.generateSession({ api_key: 'k', request_token: rt, checksum: sha256(`k${rt}s3cret`) }));
    expect(good.access_token).toMatch(ALNUM32);
  });

  it('accepts the checksum in upper-case hex too', () => {
    const { sessions } = setup();
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    expect(
      sessions.generateSession({ api_key: 'k', request_token: rt, checksum: sha256(`k${rt}paper`).toUpperCase() }).ok,
    ).toBe(true);
  });

  it('lets a request token be used once', () => {
    const { sessions } = setup();
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    const checksum = sha256(`k${rt}paper`);
    expect(sessions.generateSession({ api_key: 'k', request_token: rt, checksum }).ok).toBe(true);
    expect(err(sessions.generateSession({ api_key: 'k', request_token: rt, checksum }))).toEqual({
      code: 'REQUEST_TOKEN_INVALID',
      error_type: 'TokenException',
      message: 'Token is invalid or has expired.',
      http_status: 403,
    });
  });

  it('lets a request token live five minutes', () => {
    const { clock, sessions } = setup();
    const a = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    const b = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    clock.advance(5 * 60_000 - 1);
    expect(sessions.generateSession({ api_key: 'k', request_token: a, checksum: sha256(`k${a}paper`) }).ok).toBe(true);
    clock.advance(1);
    expect(err(sessions.generateSession({ api_key: 'k', request_token: b, checksum: sha256(`k${b}paper`) })).code).toBe(
      'REQUEST_TOKEN_INVALID',
    );
  });

  it('refuses an unknown request token and one issued to another api_key', () => {
    const { sessions } = setup();
    expect(err(sessions.generateSession({ api_key: 'k', request_token: 'x'.repeat(32), checksum: 'ab' })).code).toBe(
      'REQUEST_TOKEN_INVALID',
    );
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'a' })).location);
    expect(
      err(sessions.generateSession({ api_key: 'b', request_token: rt, checksum: sha256(`b${rt}paper`) })).code,
    ).toBe('REQUEST_TOKEN_INVALID');
  });

  it('refuses missing fields as InputException', () => {
    const { sessions } = setup();
    expect(err(sessions.generateSession({ api_key: 'k', checksum: 'c' })).code).toBe('MISSING_REQUEST_TOKEN');
    expect(err(sessions.generateSession({ request_token: 'r', checksum: 'c' })).code).toBe('MISSING_API_KEY');
    expect(err(sessions.generateSession({ api_key: 'k', request_token: 'r' })).code).toBe('MISSING_CHECKSUM');
  });
});

describe('authenticate', () => {
  it('accepts `token api_key:access_token` and says who the call acts for', () => {
    const { sessions } = setup();
    const s = login(sessions, 'k');
    const who = ok(sessions.authenticate(`token k:${s.access_token}`));
    expect(who).toEqual({
      api_key: 'k',
      user_id: 'PA0001',
      login_time: '2026-03-02 16:15:14',
      expires_at: new Date('2026-03-03T00:30:00Z'),
    });
  });

  it('answers every bad header with TokenException 403 "Incorrect `api_key` or `access_token`."', () => {
    const { sessions } = setup();
    const s = login(sessions, 'k');
    const expected = {
      code: 'ACCESS_TOKEN_INVALID',
      error_type: 'TokenException',
      message: 'Incorrect `api_key` or `access_token`.',
      http_status: 403,
    };
    for (const header of [
      undefined,
      '',
      `Bearer ${s.access_token}`,
      `token ${s.access_token}`,
      `token other:${s.access_token}`,
      'token k:wrong',
    ]) {
      expect(err(sessions.authenticate(header))).toEqual(expected);
    }
  });

  it('ends a token at 06:00 IST the next morning: valid at 05:59:59, refused at 06:00:00', () => {
    const { clock, sessions } = setup();
    const s = login(sessions, 'k');
    clock.set('2026-03-03T00:29:59Z'); // 05:59:59 IST on the 3rd
    expect(sessions.authenticate(`token k:${s.access_token}`).ok).toBe(true);
    clock.set('2026-03-03T00:30:00Z'); // 06:00:00 IST
    expect(err(sessions.authenticate(`token k:${s.access_token}`)).code).toBe('ACCESS_TOKEN_INVALID');
  });

  it('gives a token issued at 05:59 IST only until 06:00 the same morning', () => {
    const { clock, sessions } = setup('2026-03-03T00:29:00Z'); // 05:59:00 IST
    const s = login(sessions, 'k');
    clock.set('2026-03-03T00:29:59.999Z');
    expect(sessions.authenticate(`token k:${s.access_token}`).ok).toBe(true);
    clock.set('2026-03-03T00:30:00Z');
    expect(sessions.authenticate(`token k:${s.access_token}`).ok).toBe(false);
  });
});

describe('accessTokenExpiry', () => {
  it('is the first 06:00 IST after issue, whatever the host zone', () => {
    // 16:15 IST on the 2nd -> 06:00 IST on the 3rd = 00:30 UTC.
    expect(accessTokenExpiry(new Date('2026-03-02T10:45:00Z')).toISOString()).toBe('2026-03-03T00:30:00.000Z');
    // 05:59 IST on the 3rd -> 06:00 IST the same day.
    expect(accessTokenExpiry(new Date('2026-03-03T00:29:00Z')).toISOString()).toBe('2026-03-03T00:30:00.000Z');
    // Exactly 06:00 IST -> a full day.
    expect(accessTokenExpiry(new Date('2026-03-03T00:30:00Z')).toISOString()).toBe('2026-03-04T00:30:00.000Z');
    // 00:10 IST on the 3rd is still the 2nd in UTC (18:40): expiry 06:00 IST on the 3rd.
    expect(accessTokenExpiry(new Date('2026-03-02T18:40:00Z')).toISOString()).toBe('2026-03-03T00:30:00.000Z');
  });
});

describe('DELETE /session/token', () => {
  it('logs out with data true (session_logout.json) and the token stops working', () => {
    const { sessions } = setup();
    const s = login(sessions, 'k');
    const r = ok(sessions.logout({ api_key: 'k', access_token: s.access_token }));
    expect(shapeDiff(envelope(r), kiteFixture('session_logout.json'))).toEqual([]);
    expect(r).toBe(true);
    expect(sessions.authenticate(`token k:${s.access_token}`).ok).toBe(false);
    expect(err(sessions.logout({ api_key: 'k', access_token: s.access_token })).code).toBe('ACCESS_TOKEN_INVALID');
  });

  it('does not log out another api_key with this token', () => {
    const { sessions } = setup();
    const s = login(sessions, 'k');
    expect(sessions.logout({ api_key: 'other', access_token: s.access_token }).ok).toBe(false);
    expect(sessions.authenticate(`token k:${s.access_token}`).ok).toBe(true);
  });
});

describe('tokens per api_key', () => {
  it('gives each api_key its own token, all acting for the one paper user', () => {
    const { sessions } = setup();
    const a = login(sessions, 'app-a');
    const b = login(sessions, 'app-b');
    expect(a.access_token).not.toBe(b.access_token);
    expect(ok(sessions.authenticate(`token app-a:${a.access_token}`)).user_id).toBe('PA0001');
    expect(ok(sessions.authenticate(`token app-b:${b.access_token}`)).user_id).toBe('PA0001');
    // A's token is not B's.
    expect(sessions.authenticate(`token app-b:${a.access_token}`).ok).toBe(false);
    ok(sessions.logout({ api_key: 'app-a', access_token: a.access_token }));
    expect(sessions.authenticate(`token app-b:${b.access_token}`).ok).toBe(true);
  });

  it("replaces an api_key's token when it logs in again", () => {
    const { sessions } = setup();
    const first = login(sessions, 'k');
    const second = login(sessions, 'k');
    expect(sessions.authenticate(`token k:${first.access_token}`).ok).toBe(false);
    expect(sessions.authenticate(`token k:${second.access_token}`).ok).toBe(true);
  });

  it("lets the admin layer end one api_key's sessions or all of them", () => {
    const { sessions } = setup();
    const a = login(sessions, 'a');
    const b = login(sessions, 'b');
    expect(sessions.invalidate({ api_key: 'a' })).toBe(1);
    expect(sessions.authenticate(`token a:${a.access_token}`).ok).toBe(false);
    expect(sessions.authenticate(`token b:${b.access_token}`).ok).toBe(true);
    const c = login(sessions, 'c');
    expect(sessions.invalidate()).toBe(2);
    expect(sessions.authenticate(`token b:${b.access_token}`).ok).toBe(false);
    expect(sessions.authenticate(`token c:${c.access_token}`).ok).toBe(false);
  });

  it('drops outstanding request tokens of an invalidated api_key', () => {
    const { sessions } = setup();
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    sessions.invalidate({ api_key: 'k' });
    expect(sessions.generateSession({ api_key: 'k', request_token: rt, checksum: sha256(`k${rt}paper`) }).ok).toBe(
      false,
    );
  });
});

describe('secrets stay secret', () => {
  it('puts no token or secret into any error or into the session list', () => {
    const { clock, sessions } = setup(START, 'topsecret');
    const rt = requestTokenOf(ok(sessions.login({ api_key: 'k' })).location);
    const wrong = sha256(`k${rt}nope`);
    const s = ok(sessions.generateSession({ api_key: 'k', request_token: rt, checksum: sha256(`k${rt}topsecret`) }));
    const errors = [
      err(sessions.generateSession({ api_key: 'k', request_token: rt, checksum: wrong })),
      err(sessions.authenticate(`token k:${s.access_token}x`)),
      err(sessions.logout({ api_key: 'k', access_token: `${s.access_token}x` })),
    ];
    clock.advance(24 * 3_600_000);
    errors.push(err(sessions.authenticate(`token k:${s.access_token}`)));
    const text = JSON.stringify([errors, sessions.sessions()]);
    for (const secret of [rt, s.access_token, s.public_token, s.enctoken, 'topsecret', wrong])
      expect(text).not.toContain(secret);
  });

  it('lists live sessions without tokens', () => {
    const { sessions } = setup();
    const s = login(sessions, 'k');
    const list = sessions.sessions();
    expect(list).toEqual([
      {
        api_key: 'k',
        user_id: 'PA0001',
        login_time: '2026-03-02 16:15:14',
        expires_at: new Date('2026-03-03T00:30:00Z'),
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(s.access_token);
  });
});

describe('user documents', () => {
  it('answers GET /user/profile in profile.json shape', () => {
    const { sessions } = setup();
    expect(shapeDiff(envelope(sessions.profile()), kiteFixture('profile.json'))).toEqual([]);
    expect(sessions.profile().user_id).toBe('PA0001');
  });

  it('answers GET /user/profile/full in full_profile.json shape', () => {
    const { sessions } = setup();
    expect(shapeDiff(envelope(sessions.fullProfile()), kiteFixture('full_profile.json'))).toEqual([]);
  });
});
