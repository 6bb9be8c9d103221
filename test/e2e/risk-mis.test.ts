import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, until, webSession, writeConfig } from './kite-paper.js';

/**
 * The MIS square-off timetable on the paper exchange's clock (somd keeps time by its broker, so
 * each jump of the exchange's clock is somd's too). Monday 23 November 2026 is a trading day:
 * equity warns at 15:05, starts at 15:10 and forces at 15:15, before Zerodha's 15:20. Tuesday
 * 24 November is an NSE holiday (Guru Nanak Jayanti): nothing happens for equity.
 */
const MONDAY = '2026-11-23';

describe('the MIS square-off timetable', () => {
  const h = {} as Harness;

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({
      seed: 63,
      clock: new Date(`${MONDAY}T14:55:00+05:30`),
      tickIntervalMs: 200,
      port: 0,
      rateLimits: false,
    });
    const config = writeConfig(
      h.t,
      h.ex,
      '\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\naging_schedule = "0 0 1 1 *"\n',
    );
    h.somd = await startSomd(h.t, ['--config', config]);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await until('connected on the broker clock', async () => {
      const s = (await somJson(h.t, ['status'])).doc;
      return s.broker.state === 'connected' && s.instruments.count > 0 && s.broker.clock.source === 'broker';
    });
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  async function jump(to: string, nextDay = false): Promise<void> {
    h.ex.clock.jump(new Date(to));
    h.ex.sync();
    // Kite's tokens die at 06:00: on a new day the trader logs in again, as every morning.
    if (nextDay) expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    // somd learns the broker's time from its next answer (the refresh reads the account every 2 s).
    await until(`somd at ${to}`, async () => {
      const status = (await somJson(h.t, ['status'])).doc;
      return Math.abs(Date.parse(status.now) - h.ex.clock.now().getTime()) < 2_500;
    });
  }
  /** The MIS job has run on somd's clock at or after `instant`. */
  async function misRanAfter(instant: string): Promise<void> {
    await until(
      `the MIS job after ${instant}`,
      async () => {
        const jobs = (await somJson(h.t, ['admin', 'jobs'])).doc.jobs as any[];
        const job = jobs.find((j) => j.name === 'mis-square-off');
        return job?.lastRunAt && job.lastRunAt >= new Date(instant).toISOString();
      },
      20_000,
    );
  }
  async function net(symbol: string): Promise<number> {
    return (
      (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === 'MIS')?.quantity ?? 0
    );
  }
  async function buy(strategy: string, symbol: string, qty: number): Promise<void> {
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
      strategy,
    ]);
    expect(r.code, r.stderr).toBe(0);
    await until(`long ${symbol}`, async () => (await net(symbol)) === qty);
  }
  async function misSteps() {
    const audit = (await somJson(h.t, ['audit', '--type', 'MIS_STEP', '--limit', '100'])).doc.events as any[];
    return audit.map((e) => e.payload);
  }

  it('warns, starts and forces at their times, flat before the broker; opted-out strategies are left; a holiday is skipped', async () => {
    expect((await som(h.t, ['strategies', 'create', 'intraday'])).code).toBe(0);
    expect((await som(h.t, ['strategies', 'create', 'optout'])).code).toBe(0);
    expect((await som(h.t, ['settings', 'set', 'auto_square_off_mis=false', '--strategy', 'optout'])).code).toBe(0);
    await buy('intraday', 'SBIN', 20);
    await buy('intraday', 'ITC', 40);
    await buy('optout', 'INFY', 10);

    // 15:05 warn: an alert with the positions and their P&L; nothing is sold.
    await jump(`${MONDAY}T15:05:00+05:30`);
    await misRanAfter(`${MONDAY}T15:05:00+05:30`);
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts as any[];
    const warn = alerts.find((a) => a.type === 'MIS_SQUARE_OFF' && a.payload.segment === 'equity');
    expect(warn?.title).toMatch(/15:10/);
    expect(warn?.message).toMatch(/NSE:SBIN \+20, P&L/);
    expect(warn?.message).toMatch(/NSE:INFY \+10, P&L .* \(opted out/);
    expect(await net('SBIN')).toBe(20);

    // 15:10 start: the opted-in strategy's MIS positions exit; the opted-out one is left.
    await jump(`${MONDAY}T15:10:00+05:30`);
    await until('SBIN and ITC flat', async () => (await net('SBIN')) === 0 && (await net('ITC')) === 0, 15_000);
    expect(await net('INFY')).toBe(10);

    // Opened after the start: the force step takes it.
    await jump(`${MONDAY}T15:11:00+05:30`);
    await buy('intraday', 'LT', 5);
    await jump(`${MONDAY}T15:15:00+05:30`);
    await misRanAfter(`${MONDAY}T15:15:00+05:30`);
    await until('LT flat', async () => (await net('LT')) === 0, 15_000);
    // Sold once: one exit for the whole position, whatever strategies its shares name.
    const ltSells = (await h.web.getOrders()).filter((o) => o.tradingsymbol === 'LT' && o.transaction_type === 'SELL');
    expect(ltSells.reduce((n, o) => n + o.filled_quantity, 0)).toBe(5);
    expect(h.ex.clock.now().getTime()).toBeLessThan(new Date(`${MONDAY}T15:20:00+05:30`).getTime());
    expect(await net('INFY')).toBe(10);

    const monday = (await misSteps()).filter((s) => s.date === MONDAY && s.segment === 'equity');
    expect(monday.map((s) => s.step).sort()).toEqual(['force', 'start', 'warn']);
    expect(monday.find((s) => s.step === 'start')?.due_at).toBe(new Date(`${MONDAY}T15:10:00+05:30`).toISOString());

    // Tuesday 24 November: an NSE holiday. The timetable skips equity.
    await jump('2026-11-24T15:16:00+05:30', true);
    await misRanAfter('2026-11-24T15:16:00+05:30');
    const risk = (await somJson(h.t, ['risk'])).doc;
    expect(risk.mis.find((m: any) => m.segment === 'equity')).toMatchObject({ date: '2026-11-24', phase: 'closed' });
    expect((await misSteps()).filter((s) => s.date === '2026-11-24' && s.segment === 'equity')).toEqual([]);
  }, 120_000);
});
