import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import { freePort, type Harness, requestToken, scenario, until, webSession, writeConfig } from './kite-paper.js';

/**
 * The risk engine end to end: real somd and som processes, the paper exchange in this process
 * (its market driven with `POST /paper/admin/scenario`), the exchange's own order book and
 * positions read at the end of each test.
 */
const LIVE = new Set(['OPEN', 'TRIGGER PENDING', 'OPEN PENDING', 'MODIFY PENDING']);

describe('the risk engine', () => {
  const h = {} as Harness;

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({ seed: 61, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
    const config = writeConfig(
      h.t,
      h.ex,
      '\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\naging_schedule = "0 0 1 1 *"\n',
    );
    h.somd = await startSomd(h.t, ['--config', config]);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await until('connected with instruments', async () => {
      const s = (await somJson(h.t, ['status'])).doc;
      return s.broker.state === 'connected' && s.instruments.count > 0;
    });
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  async function ltp(symbol: string): Promise<number> {
    return (await h.web.getLTP([`NSE:${symbol}`]))[`NSE:${symbol}`]!.last_price;
  }
  async function exchangeNet(symbol: string): Promise<number> {
    return (
      (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === 'MIS')?.quantity ?? 0
    );
  }
  /** som's own view of the broker's MIS position in `symbol` (0 when it lists none). */
  async function somNet(symbol: string): Promise<number> {
    const held = (await somJson(h.t, ['positions'])).doc.positions as any[];
    return held.find((p) => p.tradingsymbol === symbol && p.product === 'MIS')?.quantity ?? 0;
  }
  async function strategy(name: string, ...settings: string[]): Promise<void> {
    expect((await som(h.t, ['strategies', 'create', name])).code).toBe(0);
    if (settings.length > 0) {
      const r = await som(h.t, ['settings', 'set', ...settings, '--strategy', name]);
      expect(r.code, r.stderr).toBe(0);
    }
  }
  async function buy(name: string, symbol: string, qty: number): Promise<void> {
    const r = await somJson(h.t, [
      'order',
      'place',
      `NSE:${symbol}`,
      '--side',
      'BUY',
      '--qty',
      String(qty),
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      name,
    ]);
    expect(r.code, r.stderr).toBe(0);
    await until(`long ${qty} ${symbol}`, async () => (await exchangeNet(symbol)) >= qty);
  }
  /** The market for `symbol` falls `pct` % within a second (the exchange's own price path). */
  async function drop(symbol: string, pct: number): Promise<void> {
    const tick = 0.05;
    const price = onTick((await ltp(symbol)) * (1 - pct / 100), tick);
    await scenario(h.ex, `NSE:${symbol}`, { price_path: [{ offset_ms: 1000, price }] });
  }
  async function scope(name: string) {
    const doc = (await somJson(h.t, ['risk'])).doc;
    return (doc.strategies as any[]).find((s) => s.strategy === name);
  }
  async function armed(name: string): Promise<any[]> {
    return ((await somJson(h.t, ['risk'])).doc.armed_exits as any[]).filter((a) => a.strategy === name);
  }
  async function exchangeSells(symbol: string) {
    return (await h.web.getOrders()).filter((o) => o.tradingsymbol === symbol && o.transaction_type === 'SELL');
  }

  it('a loss limit with auto square-off: flat, HALTED, a new order refused with exit 4, the breach and each exit audited', async () => {
    await strategy('lossy', 'max_loss_per_strategy_abs=400', 'auto_square_off_on_loss_limit=true');
    await buy('lossy', 'SBIN', 50);
    await buy('lossy', 'ITC', 100);
    // Each open position's first exit is armed before any breach: its tag is on disk.
    await until('both positions armed', async () => (await armed('lossy')).length === 2);
    // And som has the broker's positions too: a breach exits no more than the broker is known to
    // hold, and waits for a position it has not heard of yet.
    await until('som holds both', async () => (await somNet('SBIN')) === 50 && (await somNet('ITC')) === 100);
    const tags = new Map((await armed('lossy')).map((a) => [a.tradingsymbol, a.tag]));
    await drop('SBIN', 3);
    await until(
      'every position of the strategy flat at the exchange',
      async () => {
        return (await exchangeNet('SBIN')) === 0 && (await exchangeNet('ITC')) === 0;
      },
      15_000,
    );
    // Each position exited once: one SELL per symbol, for the whole position, filled.
    for (const [symbol, qty] of [
      ['SBIN', 50],
      ['ITC', 100],
    ] as const) {
      const sells = await exchangeSells(symbol);
      expect(sells.filter((o) => o.status === 'COMPLETE').reduce((n, o) => n + o.filled_quantity, 0)).toBe(qty);
      expect(sells.filter((o) => LIVE.has(o.status))).toEqual([]);
      // The breach sent the armed exit: the position's exit carries the tag armed for it.
      expect(sells.map((o) => o.tag)).toContain(tags.get(symbol));
    }
    // Flat at the exchange can come before somd has heard back from its exits: the run is done
    // once each exit is recorded as sent and its position is flat.
    await until('the square-off done', async () => {
      const runs = (await somJson(h.t, ['risk'])).doc.square_offs as any[];
      return runs.some((r) => r.strategy === 'lossy' && r.status === 'done');
    });
    const s = await scope('lossy');
    expect(s).toMatchObject({ state: 'HALTED', reason: 'max_loss_per_strategy_abs', risk_status: 'HALTED' });
    expect(s.limits.find((l: any) => l.key === 'max_loss_per_strategy_abs')).toMatchObject({ limit: 400 });

    const refused = await somJson(h.t, [
      'order',
      'place',
      'NSE:INFY',
      '--side',
      'BUY',
      '--qty',
      '1',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'lossy',
    ]);
    expect(refused.code).toBe(4);
    expect(refused.doc.error).toMatchObject({ code: 'RISK_BLOCKED', data: { reason: 'RISK_HALTED' } });

    const audit = (await somJson(h.t, ['audit', '--strategy', 'lossy', '--limit', '200'])).doc.events as any[];
    const breach = audit.find((e) => e.type === 'RISK_BREACH' && e.payload.key === 'max_loss_per_strategy_abs');
    expect(breach?.payload).toMatchObject({ level: 'breach', limit: 400, action: 'HALTED; square-off started' });
    const exits = audit.filter((e) => e.type === 'SQUARE_OFF_EXIT' && e.payload.action === 'place');
    expect(exits.map((e) => e.payload.tradingsymbol).sort()).toEqual(['ITC', 'SBIN']);
    for (const e of exits) {
      // Each exit was sent (the order desk audited its request, with the same tag, before it left).
      expect(e.payload).toMatchObject({ result: 'sent', transaction_type: 'SELL' });
      expect(audit.some((a) => a.type === 'ORDER_CREATED' && a.payload.tag === e.payload.tag)).toBe(true);
    }
    expect(audit.some((e) => e.type === 'SQUARE_OFF_DONE')).toBe(true);
    // Flat positions keep nothing armed.
    await until('nothing armed once flat', async () => (await armed('lossy')).length === 0);
    expect(audit.some((e) => e.type === 'RISK_ORDER_REFUSED' && e.payload.reason === 'RISK_HALTED')).toBe(true);
    const logs = (await somJson(h.t, ['admin', 'logs', '--job', 'risk'])).doc.events as any[];
    expect(logs.some((e) => e.strategy === 'lossy' && e.action === 'breach')).toBe(true);
  });

  it('a loss limit with auto square-off off: an alert and HALTED, the positions left', async () => {
    await strategy('watch', 'max_loss_per_strategy_abs=400', 'auto_square_off_on_loss_limit=false');
    await buy('watch', 'TCS', 20);
    await drop('TCS', 4);
    await until('HALTED', async () => (await scope('watch'))?.state === 'HALTED', 10_000);
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts as any[];
    const alert = alerts.find(
      (a) => a.type === 'RISK_BREACH' && a.strategy === 'watch' && a.payload.key === 'max_loss_per_strategy_abs',
    );
    expect(alert).toMatchObject({ priority: 'critical' });
    expect(alert.message).toMatch(/positions left open/);
    await new Promise((r) => setTimeout(r, 500));
    // Without automatic square-off nothing is armed.
    expect(await armed('watch')).toEqual([]);
    expect(await exchangeNet('TCS')).toBe(20);
    expect((await exchangeSells('TCS')).length).toBe(0);
    // Exits are never blocked: the trader can close it by hand through som.
    const exit = await somJson(h.t, [
      'order',
      'place',
      'NSE:TCS',
      '--side',
      'SELL',
      '--qty',
      '20',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'watch',
    ]);
    expect(exit.code, exit.stderr).toBe(0);
    await until('flat', async () => (await exchangeNet('TCS')) === 0);
  });

  it('som halt --all --flatten squares off every strategy and refuses new orders; som resume lets them through again', async () => {
    await strategy('alpha');
    await strategy('beta');
    await buy('alpha', 'INFY', 30);
    await buy('beta', 'LT', 10);
    const halted = await somJson(h.t, ['halt', '--all', '--flatten', '--reason', 'stepping away']);
    expect(halted.code, halted.stderr).toBe(0);
    expect(halted.doc).toMatchObject({ scope: 'account', state: 'HALTED', reason: 'manual', note: 'stepping away' });
    const runs = (await somJson(h.t, ['risk'])).doc.square_offs as any[];
    for (const name of ['alpha', 'beta']) {
      const run = runs.find((r) => r.strategy === name && r.cause === 'kill_switch');
      expect(halted.doc.square_off_runs).toContain(run?.id);
    }
    await until('flat', async () => (await exchangeNet('INFY')) === 0 && (await exchangeNet('LT')) === 0, 15_000);
    const order = ['NSE:HDFCBANK', '--side', 'BUY', '--qty', '1', '--type', 'MARKET', '--product', 'MIS'];
    const refused = await somJson(h.t, ['order', 'place', ...order, '--strategy', 'alpha']);
    expect(refused.code).toBe(4);
    expect(refused.doc.error.data).toMatchObject({ reason: 'RISK_HALTED', scope: 'account' });
    const status = (await somJson(h.t, ['status'])).doc;
    expect(status.risk.account).toMatchObject({ state: 'HALTED', reason: 'manual' });

    const resumed = await somJson(h.t, ['resume']);
    // The account and the strategies halted by hand are ACTIVE again; the loss-limit halts of
    // today stay without --force, and say so with exit 4.
    expect(resumed.code).toBe(4);
    expect(resumed.doc.resumed.map((r: any) => r.scope)).toContain('account');
    expect(resumed.doc.refused.map((r: any) => r.scope).sort()).toEqual(['lossy', 'watch']);
    const placed = await somJson(h.t, ['order', 'place', ...order, '--strategy', 'alpha']);
    expect(placed.code, placed.stderr).toBe(0);
    expect((await scope('alpha')).state).toBe('ACTIVE');
  });

  it('the % loss limit is of the margin each strategy blocks: two strategies filled together both halt on it', async () => {
    const settings = ['max_loss_per_strategy_pct=2', 'max_loss_per_strategy_abs=1000000'];
    await strategy('pcta', ...settings, 'auto_square_off_on_loss_limit=false');
    await strategy('pctb', ...settings, 'auto_square_off_on_loss_limit=false');
    // The fills land in one burst: one margin refresh covers both strategies.
    await Promise.all([buy('pcta', 'AXISBANK', 40), buy('pctb', 'KOTAKBANK', 25)]);
    // A 4% fall loses at least 4% of any margin a position blocks (at most its whole value).
    await Promise.all([drop('AXISBANK', 4), drop('KOTAKBANK', 4)]);
    for (const name of ['pcta', 'pctb']) {
      const s = await until(
        `${name} HALTED on its % limit`,
        async () => {
          const v = await scope(name);
          return v?.state === 'HALTED' ? v : null;
        },
        15_000,
      );
      expect(s).toMatchObject({ reason: 'max_loss_per_strategy_pct' });
      expect(s.limits.find((l: any) => l.key === 'max_loss_per_strategy_pct').value).toBeGreaterThan(2);
    }
  });

  it('a breach soon after the position shrank exits what is held now, not what was held when it was armed', async () => {
    await strategy('shrunk', 'max_loss_per_strategy_abs=400', 'auto_square_off_on_loss_limit=true');
    await buy('shrunk', 'NTPC', 200);
    await until('armed', async () => (await armed('shrunk')).length === 1);
    await until('som holds 200', async () => (await somNet('NTPC')) === 200);
    // Long enough for the armed position to be read ahead for its breach, at 200 on both sides.
    await new Promise((r) => setTimeout(r, 300));
    const sold = await somJson(h.t, [
      'order',
      'place',
      'NSE:NTPC',
      '--side',
      'SELL',
      '--qty',
      '80',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'shrunk',
    ]);
    expect(sold.code, sold.stderr).toBe(0);
    await until('som holds 120', async () => (await somNet('NTPC')) === 120);
    await drop('NTPC', 3);
    await until('flat at the exchange', async () => (await exchangeNet('NTPC')) === 0, 15_000);
    await until('the square-off done', async () => {
      const runs = (await somJson(h.t, ['risk'])).doc.square_offs as any[];
      return runs.some((r) => r.strategy === 'shrunk' && r.status === 'done');
    });
    // The hand exit and one square-off exit of the 120 left: nothing sold twice, no short opened.
    const sells = (await exchangeSells('NTPC')).filter((o) => o.status === 'COMPLETE');
    expect(sells.map((o) => o.filled_quantity).sort((a, b) => a - b)).toEqual([80, 120]);
    expect(await exchangeNet('NTPC')).toBe(0);
  });
});
