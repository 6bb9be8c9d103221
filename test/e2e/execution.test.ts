import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { somJson, startSomd, tempHome } from './harness.js';
import {
  freePort,
  type Harness,
  requestToken,
  riskLimitsAside,
  scenario as scenarioOf,
  somdSaid,
  until,
  webSession,
  writeConfig,
} from './kite-paper.js';

/**
 * Smart execution end to end: real somd and som processes against the paper exchange (kite mode,
 * the exchange in this process so that it outlives a restart of somd), the trader's own Kite
 * session reading the exchange's order book. Every test ends on what the EXCHANGE holds.
 *
 * Re-checks on an answer are judged by the decision alone here (the cost and depth tolerances are
 * opened wide): the paper market redraws its depth as it runs, and whether "Use LIMIT" sends is
 * what these tests are about; a worsening decision still asks again (its own test).
 */
const LIVE = new Set(['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED', 'OPEN PENDING', 'MODIFY PENDING']);

describe('smart execution on the paper exchange', () => {
  const h = {} as Harness;
  let config: string;

  async function login(): Promise<void> {
    const r = await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)]);
    expect(r.code, r.stderr).toBe(0);
  }
  async function connected(): Promise<void> {
    await until(
      'connected with instruments',
      async () => {
        const s = (await somJson(h.t, ['status'])).doc;
        return s.broker.state === 'connected' && s.instruments.count > 0;
      },
      15_000,
    );
  }
  async function restart(signal: NodeJS.Signals): Promise<void> {
    await h.somd.stop(signal);
    h.somd = await startSomd(h.t, ['--config', config]);
    await login();
    await connected();
  }

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({ seed: 47, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
    config = writeConfig(
      h.t,
      h.ex,
      [
        '',
        '[housekeeping]',
        'sweep_schedule = "0 0 1 1 *"',
        'aging_schedule = "0 0 1 1 *"',
        '[execution]',
        'reask_cost_bps = 10000',
        'reask_unfilled_pct = 100',
        '',
      ].join('\n'),
    );
    h.somd = await startSomd(h.t, ['--config', config]);
    // Deep books are bought here in thousands, many orders a minute: the risk engine's limits are
    // not what these tests judge.
    await riskLimitsAside(h.t);
    await login();
    h.web = await webSession(h.ex);
    await connected();
    for (const [name, profile] of [
      ['careful', 'conservative'],
      ['bold', 'aggressive'],
    ]) {
      expect((await somJson(h.t, ['strategies', 'create', name!, '--profile', profile!])).code).toBe(0);
    }
  }, 40_000);

  afterAll(async () => {
    if (process.env.E2E_DEBUG) console.log(h.somd?.stderr());
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  const scenario = (symbol: string, body: Record<string, unknown>) => scenarioOf(h.ex, `NSE:${symbol}`, body);
  /** Every order the exchange has in a symbol. */
  async function atExchange(symbol: string) {
    return (await h.web.getOrders()).filter((o) => o.tradingsymbol === symbol);
  }
  async function tickOf(symbol: string): Promise<number> {
    return (await somJson(h.t, ['instruments', 'show', `NSE:${symbol}`])).doc.instrument.tick_size as number;
  }
  async function ltp(symbol: string): Promise<number> {
    return (await h.web.getLTP([`NSE:${symbol}`]))[`NSE:${symbol}`]!.last_price;
  }
  const trade = (args: string[]) => somJson(h.t, ['trade', ...args, '--product', 'MIS']);

  it('a liquid instrument executes at once, MARKET with protection, its analysis linked to the order', async () => {
    const r = await trade(['NSE:SBIN', '--side', 'BUY', '--qty', '10']);
    expect(r.code, r.stderr).toBe(0);
    const leg = r.doc.legs[0];
    expect(leg.analysis.decision).toBe('EXECUTE_MARKET');
    expect(leg.placement).toMatchObject({ hold: false, order_type: 'MARKET' });
    expect(r.doc.order.order_id).toBe(leg.order_id);
    await until(
      'filled at the exchange',
      async () => (await h.web.getOrderHistory(leg.order_id)).at(-1)!.status === 'COMPLETE',
    );
    const mine = (await somJson(h.t, ['order', 'show', leg.order_id])).doc.order;
    expect(mine.pre_execution_analysis_id).toBe(leg.analysis.analysis_id);
  });

  it('the same instrument with a wide spread and dried-up depth is held (exit 4), with nothing at the exchange', async () => {
    await scenario('SBIN', { widen_spread: 30, dry_up_depth: 20 });
    const before = (await atExchange('SBIN')).length;
    const r = await trade(['NSE:SBIN', '--side', 'BUY', '--qty', '500']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.doc.held).toMatchObject({ decision: 'REQUIRE_APPROVAL', analysis: { symbol: 'NSE:SBIN' } });
    expect(r.doc.held.expires_at).toEqual(expect.any(String));
    expect((await atExchange('SBIN')).length).toBe(before);
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts;
    expect(alerts[0]).toMatchObject({
      id: r.doc.held.alert_id,
      type: 'ORDER_HELD',
      payload: { expires_at: r.doc.held.expires_at },
    });
  });

  it('respond limit puts a LIMIT order on the tick grid at the exchange', async () => {
    const held = await trade(['NSE:SBIN', '--side', 'BUY', '--qty', '500']);
    expect(held.code).toBe(4);
    const r = await somJson(h.t, ['alerts', 'respond', String(held.doc.held.alert_id), 'limit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.outcome).toBe('sent');
    const sent = r.doc.trade.legs[0];
    const atEx = (await h.web.getOrderHistory(sent.order_id)).at(-1)!;
    expect(atEx.order_type).toBe('LIMIT');
    expect(atEx.price).toBe(sent.placement.price);
    expect(onTick(atEx.price, await tickOf('SBIN'))).toBe(atEx.price);
    // The answer is recorded with how long it took.
    const answered = (await somJson(h.t, ['audit', '--type', 'ORDER_HELD_RESPONDED', '--limit', '1'])).doc.events[0];
    expect(answered.payload).toMatchObject({ choice: 'limit', response_ms: expect.any(Number) });
    await h.web.cancelOrder('regular', sent.order_id).catch(() => undefined);
  });

  it('respond cancel leaves nothing at the exchange, and a second answer is refused', async () => {
    const before = (await atExchange('SBIN')).length;
    const held = await trade(['NSE:SBIN', '--side', 'BUY', '--qty', '500']);
    expect(held.code).toBe(4);
    const id = String(held.doc.held.alert_id);
    const r = await somJson(h.t, ['alerts', 'respond', id, 'cancel']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.outcome).toBe('cancelled');
    const again = await somJson(h.t, ['alerts', 'respond', id, 'proceed']);
    expect(again.code).toBe(2);
    expect((await atExchange('SBIN')).length).toBe(before);
  });

  /** A basket file in the costs format, in the test's own directory. */
  function basket(name: string, legs: Record<string, unknown>[]): string {
    const path = join(h.t.dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({ instruments: legs }));
    return path;
  }
  const leg = (symbol: string, side: 'BUY' | 'SELL', quantity: number) => ({
    symbol: `NSE:${symbol}`,
    side,
    quantity,
    product: 'MIS',
  });

  it('a basket: every leg analysed and costed together, BUY legs reach the exchange before SELL legs', async () => {
    const arrived: string[] = [];
    const stop = h.ex.engine.subscribe((e) => {
      if (e.status === 'PUT ORDER REQ RECEIVED') arrived.push(e.order.tradingsymbol);
    });
    try {
      const r = await somJson(h.t, [
        'trade',
        '--file',
        basket('hedged', [leg('HDFCBANK', 'SELL', 1), leg('AXISBANK', 'BUY', 1)]),
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.doc.legs.map((l: any) => [l.symbol, l.status])).toEqual([
        ['NSE:HDFCBANK', 'sent'],
        ['NSE:AXISBANK', 'sent'],
      ]);
      expect(r.doc.costs.legs.map((l: any) => l.symbol)).toEqual(['NSE:HDFCBANK', 'NSE:AXISBANK']);
      expect(r.doc.costs.margin).not.toBeNull();
      expect(arrived).toEqual(['AXISBANK', 'HDFCBANK']);
    } finally {
      stop();
    }
  });

  it('a basket with a leg that must be held is held whole: nothing of it at the exchange', async () => {
    const before = (await atExchange('RELIANCE')).length;
    const r = await somJson(h.t, [
      'trade',
      '--file',
      basket('one-held', [leg('RELIANCE', 'BUY', 1), leg('SBIN', 'BUY', 500)]),
    ]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.doc.legs.map((l: any) => l.status)).toEqual(['held', 'held']);
    expect(r.doc.held.analysis.symbol).toBe('NSE:SBIN');
    expect((await atExchange('RELIANCE')).length).toBe(before);
    expect((await somJson(h.t, ['alerts', 'respond', String(r.doc.held.alert_id), 'cancel'])).code).toBe(0);
  });

  it('a basket leg the broker rejects stops the rest, and the user is told which legs are live', async () => {
    // Once the first leg is at the exchange, the next order is rejected (a margin shortfall).
    const stop = h.ex.engine.subscribe((e) => {
      if (e.order.tradingsymbol === 'KOTAKBANK' && e.status === 'OPEN') h.ex.faults.set({ reject_next_orders: 1 });
    });
    try {
      const r = await somJson(h.t, [
        'trade',
        '--file',
        basket('refused', [leg('KOTAKBANK', 'BUY', 1), leg('LT', 'BUY', 1), leg('ICICIBANK', 'SELL', 1)]),
      ]);
      expect(r.code, r.stderr).toBe(5);
      expect(r.doc.legs.map((l: any) => l.status)).toEqual(['sent', 'failed', 'not_sent']);
      expect(r.doc.error).toMatchObject({ leg: 1 });
      expect(r.doc.live).toEqual([{ index: 0, symbol: 'NSE:KOTAKBANK', order_id: r.doc.legs[0].order_id }]);
      expect(await atExchange('ICICIBANK')).toEqual([]);
    } finally {
      stop();
      h.ex.faults.clear();
    }
  });

  it('the conservative and aggressive profiles decide differently on the same market', async () => {
    // Spread 10x normal: about 0.42% of the mid, WIDE for an equity: above the conservative
    // profile's 0.3%, within the aggressive 1.0%.
    await scenario('ITC', { widen_spread: 10 });
    const careful = await somJson(h.t, ['analyze', 'NSE:ITC', '--side', 'BUY', '--qty', '10', '--strategy', 'careful']);
    const bold = await somJson(h.t, ['analyze', 'NSE:ITC', '--side', 'BUY', '--qty', '10', '--strategy', 'bold']);
    for (const r of [careful, bold]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.doc.spread.category).toBe('WIDE');
    }
    expect(careful.doc).toMatchObject({ decision: 'ALERT_USER_HIGH_COST', hold: true });
    expect(bold.doc).toMatchObject({ decision: 'EXECUTE_LIMIT', hold: false });
  });

  it('a costly order with approval off is sent as a LIMIT at the computed price, and the user is told', async () => {
    expect((await somJson(h.t, ['strategies', 'create', 'quick', '--profile', 'conservative'])).code).toBe(0);
    expect(
      (await somJson(h.t, ['settings', 'set', 'require_user_approval_high_impact=false', '--strategy', 'quick'])).code,
    ).toBe(0);
    const r = await trade(['NSE:ITC', '--side', 'BUY', '--qty', '10', '--strategy', 'quick']);
    expect(r.code, r.stderr).toBe(0);
    const leg = r.doc.legs[0];
    expect(leg.analysis.decision).toBe('ALERT_USER_HIGH_COST');
    expect(leg.placement).toMatchObject({ hold: false, order_type: 'LIMIT', high_cost_notice: true });
    const atEx = (await h.web.getOrderHistory(leg.order_id)).at(-1)!;
    expect(atEx).toMatchObject({ order_type: 'LIMIT', price: leg.analysis.limit_price });
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts as any[];
    expect(alerts.find((a) => a.type === 'HIGH_COST_ORDER')).toMatchObject({
      title: 'Costly order sent: BUY 10 NSE:ITC',
      payload: { order_ids: [leg.order_id] },
    });
  });

  it('som order place stays plain: sent as told on a market som trade would hold, its analysis recorded', async () => {
    const last = await ltp('SBIN');
    const price = onTick(last * 0.95, await tickOf('SBIN'));
    const r = await somJson(h.t, [
      'order',
      'place',
      'NSE:SBIN',
      '--side',
      'BUY',
      '--qty',
      '500',
      '--type',
      'LIMIT',
      '--price',
      String(price),
      '--product',
      'MIS',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const order = (await somJson(h.t, ['order', 'show', r.doc.order_id])).doc.order;
    expect(order.pre_execution_analysis_id).toEqual(expect.any(Number));
    expect((await h.web.getOrderHistory(r.doc.order_id)).at(-1)!.status).toBe('OPEN');
    await h.web.cancelOrder('regular', r.doc.order_id);
  });

  it('a market that got worse after the user looked asks again instead of sending', async () => {
    const before = (await atExchange('ITC')).length;
    const held = await trade(['NSE:ITC', '--side', 'BUY', '--qty', '10', '--strategy', 'careful']);
    expect(held.code, held.stderr).toBe(4);
    expect(held.doc.held.decision).toBe('ALERT_USER_HIGH_COST');
    // Three times wider: VERY_WIDE now, a more severe decision.
    await scenario('ITC', { widen_spread: 30 });
    const r = await somJson(h.t, ['alerts', 'respond', String(held.doc.held.alert_id), 'proceed']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.doc).toMatchObject({ outcome: 'asked_again', held: { decision: 'REQUIRE_APPROVAL' } });
    expect(r.doc.held.asked_again.join(' ')).toMatch(/the decision is now REQUIRE_APPROVAL, was ALERT_USER_HIGH_COST/);
    expect(r.doc.held.alert_id).not.toBe(held.doc.held.alert_id);
    expect((await somJson(h.t, ['alerts', 'respond', String(r.doc.held.alert_id), 'cancel'])).code).toBe(0);
    expect((await atExchange('ITC')).length).toBe(before);
  });

  it('a bracket ends with the entry filled and an OCO stop and target for exactly the filled quantity', async () => {
    const [last, tick] = [await ltp('INFY'), await tickOf('INFY')];
    const stop = onTick(last * 0.97, tick);
    const target = onTick(last * 1.03, tick);
    const r = await trade([
      'NSE:INFY',
      '--side',
      'BUY',
      '--qty',
      '20',
      '--stop',
      String(stop),
      '--target',
      String(target),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.bracket).toMatchObject({ stop, target });
    const entry = r.doc.legs[0].order_id as string;
    const pair = await until(
      'an OCO stop and target at the exchange',
      async () => {
        const orders = await atExchange('INFY');
        const filled = orders.find((o) => o.order_id === entry)?.filled_quantity ?? 0;
        const legs = orders.filter((o) => o.transaction_type === 'SELL' && LIVE.has(o.status));
        return filled > 0 && legs.length === 2 ? { filled, legs } : null;
      },
      10_000,
    );
    expect(pair.filled).toBe(20);
    const stopLeg = pair.legs.find((o) => o.order_type === 'SL-M')!;
    const targetLeg = pair.legs.find((o) => o.order_type === 'LIMIT')!;
    expect(stopLeg).toMatchObject({ quantity: 20, trigger_price: stop });
    expect(targetLeg).toMatchObject({ quantity: 20, price: target });
    await until('linked as one OCO group', async () => {
      const open = (await somJson(h.t, ['orders', '--open'])).doc.orders as any[];
      const ids = open.filter((o) => o.tradingsymbol === 'INFY').map((o) => o.oco_group_id);
      return ids.length === 2 && ids[0] !== null && ids[0] === ids[1];
    });
  });

  it('a restart of somd in the middle leaves no unprotected fill and no duplicate protection', async () => {
    const [last, tick] = [await ltp('TCS'), await tickOf('TCS')];
    const limit = onTick(last * 0.99, tick);
    const r = await trade([
      'NSE:TCS',
      '--side',
      'BUY',
      '--qty',
      '10',
      '--type',
      'LIMIT',
      '--price',
      String(limit),
      '--stop',
      String(onTick(last * 0.95, tick)),
      '--target',
      String(onTick(last * 1.05, tick)),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const entry = r.doc.legs[0].order_id as string;
    expect((await h.web.getOrderHistory(entry)).at(-1)!.status).toBe('OPEN');
    // somd dies while the entry rests; the market comes down through the limit meanwhile.
    await h.somd.stop('SIGKILL');
    await scenario('TCS', { price_path: [{ offset_ms: 1000, price: onTick(last * 0.985, tick) }] });
    await until('the entry filled while somd was down', async () => {
      h.ex.sync();
      return (await h.web.getOrderHistory(entry)).at(-1)!.status === 'COMPLETE';
    });
    h.somd = await startSomd(h.t, ['--config', config]);
    await login();
    await connected();
    const protectedBy = async () =>
      (await atExchange('TCS')).filter((o) => o.transaction_type === 'SELL' && LIVE.has(o.status));
    const legs = await until(
      'protection placed after the restart',
      async () => {
        const live = await protectedBy();
        return live.length === 2 ? live : null;
      },
      15_000,
      somdSaid(h.somd),
    );
    expect(legs.map((o) => [o.order_type, o.quantity]).sort()).toEqual([
      ['LIMIT', 10],
      ['SL-M', 10],
    ]);
    // Again, cleanly: the bracket is done; nothing more is placed.
    await restart('SIGTERM');
    await new Promise((res) => setTimeout(res, 1500));
    const after = (await atExchange('TCS')).filter((o) => o.transaction_type === 'SELL');
    expect(after.length).toBe(2);
  }, 60_000);

  it('an unanswered held order lapses at its deadline and is never sent', async () => {
    const before = (await atExchange('SBIN')).length;
    const held = await trade(['NSE:SBIN', '--side', 'BUY', '--qty', '500']);
    expect(held.code).toBe(4);
    const id = held.doc.held.alert_id as number;
    // Past the deadline (2 minutes) on the exchange's clock, which is somd's.
    h.ex.clock.advance(150_000);
    h.ex.sync();
    const resolved = await until(
      'the held order expired',
      async () => {
        const all = (await somJson(h.t, ['alerts', '--all'])).doc.alerts as any[];
        const alert = all.find((a) => a.id === id);
        return alert?.resolved_at ? alert : null;
      },
      15_000,
    );
    expect(resolved.payload.resolution).toMatch(/expired unanswered/);
    const late = await somJson(h.t, ['alerts', 'respond', String(id), 'proceed']);
    expect(late.code).toBe(2);
    expect((await atExchange('SBIN')).length).toBe(before);
  });

  it('som report execution covers the orders sent and the held orders answered and lapsed', async () => {
    const r = await somJson(h.t, ['report', 'execution']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.decisions.REQUIRE_APPROVAL).toBeGreaterThanOrEqual(3);
    expect(r.doc.decisions.EXECUTE_MARKET).toBeGreaterThanOrEqual(1);
    // Six held: answered with limit, cancel, cancel (a basket) and (after being asked again) cancel; two left to lapse.
    expect(r.doc.alert_response).toMatchObject({ held: 6, answered: 4, expired: 2, open: 0 });
    expect(r.doc.filled).toBeGreaterThanOrEqual(1);
    expect(r.doc.orders.some((o: any) => o.symbol === 'NSE:SBIN' && o.order_type === 'LIMIT')).toBe(true);
  });
});
