import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, SETTING_KEYS } from '../../src/domain/strategy-settings.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import {
  canConnect,
  RawClient,
  type RunningSomd,
  som,
  somJson,
  startSomd,
  type TempHome,
  tempHome,
} from './harness.js';

describe('somd and som end to end', () => {
  let t: TempHome;
  let somd: RunningSomd;

  beforeAll(async () => {
    t = tempHome();
    somd = await startSomd(t, ['--paper']);
  });
  afterAll(async () => {
    await somd?.stop();
    t.cleanup();
  });

  it('status reports the daemon, its store and its mode as one JSON document', async () => {
    const { code, doc } = await somJson(t, ['status']);
    expect(code).toBe(0);
    expect(doc.mode).toBe('paper');
    expect(doc.pid).toBe(somd.child.pid);
    expect(doc.protocol).toBe(1);
    expect(doc.store.ok).toBe(true);
    expect(doc.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(doc.socket).toBe(t.socket);
    expect(doc.home).toBe(t.home);
    expect(doc.broker.mode).toBe('paper');
    expect(doc.scheduler.jobs.map((j: { name: string }) => j.name).sort()).toEqual([
      'aging',
      'audit-prune',
      'eod',
      'expiry',
      'health',
      'instruments',
      'mis-square-off',
      'orphan-sweep',
      'pnl-snapshot',
      'reconcile',
      'risk-check',
    ]);
  });

  it('in paper mode somd signs in to its paper exchange by itself and the link comes up', async () => {
    const deadline = Date.now() + 5000;
    let doc: any;
    do {
      doc = (await somJson(t, ['status'])).doc;
      if (doc.broker.state === 'connected' && doc.instruments.count > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    expect(doc.broker.state).toBe('connected');
    expect(doc.broker.session.state).toBe('valid');
    expect(doc.broker.placement.paused).toBe(false);
    expect(doc.instruments.count).toBe(doc.paper.instruments);
    const login = await somJson(t, ['login']);
    expect(login.code).toBe(0);
    expect(login.doc.user_id).toBe('PA0001');
  });

  it('status prints a readable summary without --json', async () => {
    const r = await som(t, ['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/paper mode/);
    expect(r.stdout).toMatch(/store\s+ok/);
  });

  it('the default strategy always exists, with the default settings', async () => {
    const { doc } = await somJson(t, ['strategies', 'list']);
    expect(doc.strategies.map((s: { name: string }) => s.name)).toContain('default');
    const shown = await somJson(t, ['strategies', 'show', 'default']);
    expect(shown.doc.strategy.settings).toEqual(PROFILES.default);
  });

  it('creates strategies from the conservative and aggressive profiles with the specified values', async () => {
    const c = await somJson(t, ['strategies', 'create', 'safe', '--profile', 'conservative']);
    expect(c.code).toBe(0);
    expect(c.doc.strategy.settings).toMatchObject({
      auto_cleanup_enabled: true,
      cleanup_sl_on_exit: true,
      max_order_spread_pct: 0.3,
      min_liquidity_score: 70,
      require_user_approval_high_impact: true,
      max_market_impact_bps: 30,
      margin_buffer_pct: 20,
      max_loss_per_strategy_pct: 5,
      auto_square_off_on_loss_limit: true,
      // untouched keys keep the defaults
      max_loss_per_strategy_abs: 50000,
      max_orders_per_minute: 10,
    });
    const a = await somJson(t, ['strategies', 'create', 'fast', '--profile', 'aggressive']);
    expect(a.doc.strategy.settings).toMatchObject({
      auto_cleanup_enabled: false,
      allow_orphaned_orders: true,
      max_order_spread_pct: 1.0,
      min_liquidity_score: 40,
      require_user_approval_high_impact: false,
      margin_buffer_pct: 5,
      max_loss_per_strategy_pct: 15,
      max_margin_utilization_pct: 90,
      max_market_impact_bps: 50,
    });
    const list = await somJson(t, ['strategies', 'list']);
    expect(list.doc.strategies.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['default', 'safe', 'fast']),
    );
  });

  it('refuses a duplicate strategy name, in any case, with exit 2', async () => {
    await somJson(t, ['strategies', 'create', 'dup']);
    const again = await somJson(t, ['strategies', 'create', 'DUP']);
    expect(again.code).toBe(2);
    expect(again.doc.error.code).toBe('ALREADY_EXISTS');
    expect(again.doc.error.message).toMatch(/already exists/);
  });

  it('refuses a bad strategy name and an unknown profile with exit 2', async () => {
    const bad = await som(t, ['strategies', 'create', 'has space']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/strategy name/);
    const profile = await som(t, ['strategies', 'create', 'x1', '--profile', 'reckless']);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/reckless/);
  });

  it('an unknown strategy is exit 2 naming it', async () => {
    const r = await somJson(t, ['strategies', 'show', 'ghost']);
    expect(r.code).toBe(2);
    expect(r.doc.error.code).toBe('NOT_FOUND');
    expect(r.doc.error.message).toMatch(/ghost/);
  });

  it('settings set changes valid keys, reports what changed, and settings show reflects it', async () => {
    await somJson(t, ['strategies', 'create', 'tuned']);
    const set = await somJson(t, [
      'settings',
      'set',
      'max_order_spread_pct=0.45',
      'auto_cleanup_enabled=false',
      '--strategy',
      'tuned',
    ]);
    expect(set.code).toBe(0);
    expect(set.doc.changed).toEqual(
      expect.arrayContaining([
        { key: 'max_order_spread_pct', from: 0.5, to: 0.45 },
        { key: 'auto_cleanup_enabled', from: true, to: false },
      ]),
    );
    const shown = await somJson(t, ['settings', 'show', '--strategy', 'tuned']);
    expect(shown.doc.settings.max_order_spread_pct).toBe(0.45);
    expect(shown.doc.settings.auto_cleanup_enabled).toBe(false);
    expect(Object.keys(shown.doc.settings).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('invalid settings are refused with exit 2 naming the key, and nothing is written', async () => {
    await somJson(t, ['strategies', 'create', 'strict1']);
    const cases: [string[], RegExp][] = [
      [['max_order_spread_pct=abc'], /max_order_spread_pct.*expected number/],
      [['max_order_spread_pct=-1'], /max_order_spread_pct/],
      [['max_orders_per_minute=2.5'], /max_orders_per_minute.*int/i],
      [['auto_cleanup_enabled=yes'], /auto_cleanup_enabled.*expected boolean/],
      [['no_such_key=1'], /unknown setting no_such_key/],
      [['novalue'], /key=value/],
      // one bad key spoils the batch: the good one must not be written either
      [['margin_buffer_pct=30', 'min_liquidity_score=101'], /min_liquidity_score/],
    ];
    for (const [pairs, message] of cases) {
      const r = await somJson(t, ['settings', 'set', ...pairs, '--strategy', 'strict1']);
      expect(r.code, pairs.join(' ')).toBe(2);
      expect(r.doc.error.message).toMatch(message);
    }
    const shown = await somJson(t, ['settings', 'show', '--strategy', 'strict1']);
    expect(shown.doc.settings).toEqual(PROFILES.default);
  });

  it('the audit trail records strategy creation and settings changes, filterable', async () => {
    await somJson(t, ['strategies', 'create', 'audited']);
    await somJson(t, ['settings', 'set', 'max_loss_per_strategy_abs=25000', '--strategy', 'audited']);
    const all = await somJson(t, ['audit', '--strategy', 'audited']);
    expect(all.code).toBe(0);
    expect(all.doc.events.map((e: { type: string }) => e.type)).toEqual(['SETTINGS_UPDATED', 'STRATEGY_CREATED']);
    expect(all.doc.events[0].payload.changed).toEqual([{ key: 'max_loss_per_strategy_abs', from: 50000, to: 25000 }]);
    const limited = await somJson(t, ['audit', '--limit', '1']);
    expect(limited.doc.events).toHaveLength(1);
    const started = await somJson(t, ['audit', '--type', 'DAEMON_STARTED']);
    expect(started.doc.events.length).toBeGreaterThanOrEqual(1);
    const byOrder = await somJson(t, ['audit', '--order', 'NO-SUCH-ORDER']);
    expect(byOrder.doc.events).toEqual([]);
    const badLimit = await som(t, ['audit', '--limit', '0']);
    expect(badLimit.code).toBe(2);
  });

  it('bad usage exits 2, and with --json still prints one JSON document', async () => {
    const r = await som(t, ['strategies', 'frobnicate', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('INVALID_INPUT');
    const unknown = await som(t, ['nosuchcommand']);
    expect(unknown.code).toBe(2);
  });

  it('--help documents the exit codes', async () => {
    const r = await som(t, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*3\s+somd is not running/);
  });

  it('survives a burst of garbage on the socket and still answers system.hello', async () => {
    const raw = await RawClient.open(t.socket);
    const garbage: string[] = [
      '{',
      'null',
      '42',
      '"text"',
      '[]',
      '[{"jsonrpc":"2.0","method":"system.hello","id":1}]',
      '{"jsonrpc":"1.0","method":"system.hello","id":1}',
      '{"jsonrpc":"2.0","id":{"x":1},"method":"system.hello"}',
      '{"jsonrpc":"2.0","method":5,"id":2}',
      '{"jsonrpc":"2.0","method":"no.such","id":3}',
      '{"jsonrpc":"2.0","method":"strategies.show","params":{"strategy":""},"id":4}',
      '{"jsonrpc":"2.0","method":"strategies.show","params":[1],"id":5}',
      '{"jsonrpc":"2.0","method":"settings.update","params":{"settings":{"max_orders_per_minute":-3}},"id":6}',
      '\u0000\u0001\u0002',
      '{"__proto__":{"polluted":true},"jsonrpc":"2.0","method":"system.hello","id":7}',
    ];
    // Seeded pseudo-random lines too: a fuzz the same on every run.
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = '{}[]":,0123456789abcdefghijklmnopqrstuvwxyz \\\t.-+eE';
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rand() * 120);
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      garbage.push(s.replace(/\n/g, ''));
    }
    for (const line of garbage) raw.send(`${line}\n`);
    let answered = 0;
    const expectedAnswers = garbage.filter((g) => g.trim() !== '').length;
    // Each non-blank garbage line is answered with an error (none of them is a valid notification).
    for (let i = 0; i < expectedAnswers; i++) {
      const response = await raw.next();
      expect(response.jsonrpc).toBe('2.0');
      if (response.error) answered++;
      else expect(response.result.pid).toBe(somd.child.pid); // the valid hello among the garbage
    }
    expect(answered).toBeGreaterThan(300);
    const hello = await raw.request('system.hello', {}, 'after-garbage');
    expect(hello.id).toBe('after-garbage');
    expect(hello.result.mode).toBe('paper');
    raw.close();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers each protocol fault with the right JSON-RPC code', async () => {
    const raw = await RawClient.open(t.socket);
    raw.send('{not json\n');
    expect((await raw.next()).error.code).toBe(-32700);
    raw.send('[1,2]\n');
    expect((await raw.next()).error.code).toBe(-32600);
    raw.send('"just a string"\n');
    expect((await raw.next()).error.code).toBe(-32600);
    expect((await raw.request('nope.nothing', {}, 9)).error).toMatchObject({
      code: -32601,
      data: { code: 'METHOD_NOT_FOUND' },
    });
    const bad = await raw.request('strategies.create', { name: 'ok1', profile: 'nope' }, 10);
    expect(bad.id).toBe(10);
    expect(bad.error.code).toBe(-32602);
    expect(bad.error.message).toMatch(/profile/);
    const notFound = await raw.request('strategies.show', { strategy: 'ghost' }, 11);
    expect(notFound.error).toMatchObject({ code: 1001, data: { code: 'NOT_FOUND' } });
    // A notification (no id) gets no answer: the next answer is for the request after it.
    raw.send('{"jsonrpc":"2.0","method":"system.hello"}\n');
    expect((await raw.request('system.hello', {}, 12)).id).toBe(12);
    raw.close();
  });

  it('skips a line over 1 MiB with an error and keeps serving the same connection', async () => {
    const raw = await RawClient.open(t.socket);
    const huge = `{"jsonrpc":"2.0","method":"system.hello","id":1,"params":{"x":"${'a'.repeat(1024 * 1024 + 10)}"}}\n`;
    raw.send(huge);
    const err = await raw.next();
    expect(err.error.code).toBe(-32600);
    expect(err.error.message).toMatch(/1 MiB/);
    expect((await raw.request('system.hello', {}, 2)).result.pid).toBe(somd.child.pid);
    raw.close();
  });

  it('a request split across many writes is assembled; several per write are all answered', async () => {
    const raw = await RawClient.open(t.socket);
    const line = '{"jsonrpc":"2.0","method":"system.hello","id":"split"}\n';
    for (const ch of line) raw.send(ch);
    expect((await raw.next()).id).toBe('split');
    raw.send(
      '{"jsonrpc":"2.0","method":"system.hello","id":"a"}\n{"jsonrpc":"2.0","method":"system.hello","id":"b"}\n',
    );
    const ids = [(await raw.next()).id, (await raw.next()).id].sort();
    expect(ids).toEqual(['a', 'b']);
    raw.close();
  });

  it('serves many clients at once, and a client that disconnects mid-request harms nobody', async () => {
    const quitters = await Promise.all(Array.from({ length: 10 }, () => RawClient.open(t.socket)));
    for (const q of quitters) {
      q.send('{"jsonrpc":"2.0","method":"strategies.list","id":1}\n');
      q.close();
    }
    const clients = await Promise.all(Array.from({ length: 40 }, () => RawClient.open(t.socket)));
    const answers = await Promise.all(clients.map((c, i) => c.request('strategies.list', {}, i)));
    answers.forEach((a, i) => {
      expect(a.id).toBe(i);
      expect(a.result.strategies.length).toBeGreaterThan(0);
    });
    for (const c of clients) c.close();
    const cli = await Promise.all(Array.from({ length: 8 }, () => somJson(t, ['status'])));
    for (const r of cli) expect(r.code).toBe(0);
  });

  it('the socket is 0600 in a 0700 directory, and the state directory and database are private', () => {
    expect(statSync(t.socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'run')).mode & 0o777).toBe(0o700);
    expect(statSync(t.home).mode & 0o777).toBe(0o700);
    expect(statSync(join(t.home, 'som.db')).mode & 0o077).toBe(0);
  });
});

describe('somd lifecycle', () => {
  it('SIGTERM exits 0 within 5 s, removes the socket, and a restart keeps all data', async () => {
    const t = tempHome();
    try {
      const first = await startSomd(t);
      await somJson(t, ['strategies', 'create', 'kept', '--profile', 'aggressive']);
      await somJson(t, ['settings', 'set', 'max_orders_per_minute=7', '--strategy', 'kept']);
      const started = Date.now();
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(existsSync(t.socket)).toBe(false);
      expect(existsSync(join(t.home, 'somd.lock'))).toBe(false);
      expect(first.stderr()).toMatch(/somd.stopped/);

      const second = await startSomd(t);
      const shown = await somJson(t, ['settings', 'show', '--strategy', 'kept']);
      expect(shown.doc.settings.max_orders_per_minute).toBe(7);
      expect(shown.doc.settings.allow_orphaned_orders).toBe(true);
      const audit = await somJson(t, ['audit', '--type', 'DAEMON_STOPPED']);
      expect(audit.doc.events).toHaveLength(1);
      const defaults = await somJson(t, ['strategies', 'list']);
      expect(defaults.doc.strategies.filter((s: { name: string }) => s.name === 'default')).toHaveLength(1);
      expect(await second.stop('SIGINT')).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it('a second somd on the same state directory or socket exits with a clear message', async () => {
    const t = tempHome();
    const other = tempHome();
    try {
      const first = await startSomd(t);
      // same home, another socket
      const sameHome = await import('./harness.js').then((h) =>
        h.runNode(join(h.ROOT, 'bin/somd'), ['--home', t.home, '--socket', join(other.dir, 's.sock')]),
      );
      expect(sameHome.code).toBe(1);
      expect(sameHome.stderr).toMatch(new RegExp(`already running \\(pid ${first.child.pid}\\)`));
      // same socket, another home
      const sameSocket = await import('./harness.js').then((h) =>
        h.runNode(join(h.ROOT, 'bin/somd'), ['--home', other.home, '--socket', t.socket]),
      );
      expect(sameSocket.code).toBe(1);
      expect(sameSocket.stderr).toMatch(/already listening/);
      // the first is unharmed
      expect((await somJson(t, ['status'])).code).toBe(0);
      await first.stop();
    } finally {
      t.cleanup();
      other.cleanup();
    }
  });

  it('a stale socket and lock left by a crash are detected and replaced', async () => {
    const t = tempHome();
    try {
      const crashed = await startSomd(t);
      expect(await crashed.stop('SIGKILL')).toBe(null);
      expect(existsSync(t.socket)).toBe(true); // SIGKILL leaves both behind
      expect(existsSync(join(t.home, 'somd.lock'))).toBe(true);
      const next = await startSomd(t);
      expect((await somJson(t, ['status'])).doc.pid).toBe(next.child.pid);
      await next.stop();
    } finally {
      t.cleanup();
    }
  });

  it('som exits 3 with how to start somd when nothing listens', async () => {
    const t = tempHome();
    try {
      const r = await som(t, ['status']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/somd is not running at .*somd\.sock; start it with/);
      const j = await somJson(t, ['status']);
      expect(j.doc.error.code).toBe('DAEMON_UNREACHABLE');
      // a socket file nobody accepts on is "not running" too
      const dead = createServer();
      await new Promise<void>((r2) => dead.listen(join(t.dir, 'dead.sock'), r2));
      await new Promise<void>((r2) => dead.close(() => r2()));
      const r3 = await som({ ...t, socket: join(t.dir, 'dead.sock') }, ['status']);
      expect(r3.code).toBe(3);
    } finally {
      t.cleanup();
    }
  });

  it('an invalid config stops somd at start-up with exit 2 naming the key and the expected type', async () => {
    const t = tempHome();
    try {
      const { runNode, ROOT } = await import('./harness.js');
      const somd = join(ROOT, 'bin/somd');
      const write = (text: string) => {
        const p = join(t.dir, 'config.toml');
        writeFileSync(p, text);
        return p;
      };
      const base = ['--home', t.home, '--socket', t.socket];
      const unknown = await runNode(somd, [...base, '--config', write('[daemon]\ncolour = "red"\n')]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/daemon\.colour: unknown key/);
      const badType = await runNode(somd, [...base, '--config', write('[daemon]\nlog_level = 3\n')]);
      expect(badType.code).toBe(2);
      expect(badType.stderr).toMatch(/daemon\.log_level: .*expected one of/);
      const badToml = await runNode(somd, [...base, '--config', write('[daemon\n')]);
      expect(badToml.code).toBe(2);
      expect(badToml.stderr).toMatch(/not valid TOML \(line 1/);
      const missing = await runNode(somd, [...base, '--config', join(t.dir, 'absent.toml')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/cannot read config/);
      expect(existsSync(t.socket)).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('SIGHUP re-reads the config; a bad file is logged and the daemon keeps running', async () => {
    const t = tempHome();
    try {
      const config = join(t.dir, 'config.toml');
      writeFileSync(config, '[daemon]\nlog_level = "info"\n');
      const d = await startSomd(t, ['--config', config]);
      writeFileSync(config, '[daemon]\nlog_level = "debug"\nlog_format = "json"\n');
      d.child.kill('SIGHUP');
      await waitFor(() => /config.reloaded/.test(d.stderr()));
      await somJson(t, ['status']);
      // json format and debug level are now in force: each request is logged as a JSON line
      await waitFor(() =>
        d
          .stderr()
          .split('\n')
          .some((l) => l.startsWith('{') && JSON.parse(l).event === 'rpc'),
      );
      writeFileSync(config, '[daemon]\nlog_level = 7\n');
      d.child.kill('SIGHUP');
      await waitFor(() => d.stderr().includes('config.reload_failed'));
      expect((await somJson(t, ['status'])).code).toBe(0);
      const audit = await somJson(t, ['audit', '--type', 'CONFIG_RELOADED']);
      expect(audit.doc.events).toHaveLength(1);
      expect(await d.stop()).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it('mode comes from the config (auto: kite with an api_key), and --paper overrides it', async () => {
    const t = tempHome();
    try {
      const config = join(t.dir, 'config.toml');
      writeFileSync(config, '[broker]\napi_key = "abc123"\n');
      const kite = await startSomd(t, ['--config', config]);
      expect((await somJson(t, ['status'])).doc.mode).toBe('kite');
      await kite.stop();
      const paper = await startSomd(t, ['--config', config, '--paper']);
      expect((await somJson(t, ['status'])).doc.mode).toBe('paper');
      await paper.stop();
      expect(await canConnect(t.socket)).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
