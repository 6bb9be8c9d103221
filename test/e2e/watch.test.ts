import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { ROOT, somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, riskLimitsAside, scenario, until, webSession, writeConfig } from './kite-paper.js';

/** tmux drives `som watch` in a real pseudo-terminal; without it the test cannot run (Debian: tmux). */
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
if (!HAS_TMUX) console.warn('skipping the som watch screen test: tmux is not installed (apt-get install -y tmux)');

/**
 * `som watch` in a real terminal (tmux, 180 x 50) against somd in kite mode on the paper
 * exchange, the trader on "Kite web": after an entry fills the screen shows the position and
 * its P&L; after a hand exit, the stop and target som cancelled. What is checked is the text on
 * the screen, as captured from the pane.
 */
describe.skipIf(!HAS_TMUX)('som watch in a terminal', () => {
  const h = {} as Harness;
  // A tmux server of this test's own: the user's sessions are never touched.
  const server = `som-e2e-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'watch');

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({ seed: 11, clock: MARKET_OPEN, tickIntervalMs: 200, port: 0, rateLimits: false });
    const config = writeConfig(h.t, h.ex, '\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\n');
    h.somd = await startSomd(h.t, ['--config', config]);
    await riskLimitsAside(h.t);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await until('connected', async () => (await somJson(h.t, ['status'])).doc.broker.state === 'connected');
    const command = [process.execPath, join(ROOT, 'bin/som'), '--socket', h.t.socket, 'watch'].map(quote).join(' ');
    tmux('new-session', '-d', '-s', 'watch', '-x', '180', '-y', '50', `env NO_COLOR=1 ${command}`);
    await until('the dashboard', async () => screen().includes('som watch · kite'), 15_000);
  }, 40_000);

  afterAll(async () => {
    if (HAS_TMUX) spawnSync('tmux', ['-L', server, 'kill-server']);
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  async function web(p: Record<string, unknown>): Promise<string> {
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      product: 'MIS',
      ...p,
    } as never);
    return order_id;
  }

  /** The screen's line for SBIN in POSITIONS: quantity, average, last price, P&L. */
  function position(text: string): { qty: number; avg: number; ltp: number; pnl: number } | null {
    const m = text.match(/^NSE:SBIN +MIS +(-?\d+) +([\d,.]+) +([\d,.]+) +([+-]?[\d,.]+) +/m);
    if (!m) return null;
    const n = (s: string) => Number(s.replace(/,/g, ''));
    return { qty: n(m[1]!), avg: n(m[2]!), ltp: n(m[3]!), pnl: n(m[4]!) };
  }

  it('after an order fills, the screen shows the position and its P&L; after a hand exit, the cancelled stop and target', async () => {
    const last = (await h.web.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    await web({ transaction_type: 'BUY', quantity: 25, order_type: 'MARKET', market_protection: -1 });
    const stop = await web({
      transaction_type: 'SELL',
      quantity: 25,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.95, 0.05),
      market_protection: -1,
    });
    const target = await web({
      transaction_type: 'SELL',
      quantity: 25,
      order_type: 'LIMIT',
      price: onTick(last * 1.05, 0.05),
    });

    const held = await until(
      'the position, and the stop and target with their roles',
      async () => {
        const text = screen();
        const p = position(text);
        const roles = [stop, target].every((id) => new RegExp(`^${id} .*\\b(stop|target)\\b`, 'm').test(text));
        return p?.qty === 25 && roles ? { text, p } : null;
      },
      15_000,
    );
    // A position opened today: P&L = 25 x (last price - average), as shown (to the paisa).
    expect(Math.abs(held.p.pnl - 25 * (held.p.ltp - held.p.avg))).toBeLessThan(0.01);
    expect(held.text).toMatch(/^P&L [+-]?[\d,.]+ +M2M /m);
    expect(held.text).toMatch(new RegExp(`^${stop} .*SL-M .*stop +TRIGGER PENDING`, 'm'));
    expect(held.text).toMatch(new RegExp(`^${target} .*LIMIT .*target +OPEN`, 'm'));

    // The trader exits by hand on Kite web: som cancels the stop and the target.
    await web({ transaction_type: 'SELL', quantity: 25, order_type: 'MARKET', market_protection: -1 });
    const after = await until(
      'the stop and target cancelled, under ORPHANS HANDLED TODAY, and the position flat',
      async () => {
        const text = screen();
        const handled = text.slice(text.indexOf('ORPHANS HANDLED TODAY'));
        const cancelled = [stop, target].every((id) =>
          new RegExp(`^${id} .*POSITION_CLOSED +cancel.* now CANCELLED`, 'm').test(handled),
        );
        return cancelled && position(text)?.qty === 0 ? text : null;
      },
      15_000,
    );
    expect(after.slice(after.indexOf('ORPHANS HANDLED TODAY'))).toMatch(
      new RegExp(`^${stop} .*stop +SELL +25 +SL-M`, 'm'),
    );
    expect(after.slice(after.indexOf('ORPHANS HANDLED TODAY'))).toMatch(
      new RegExp(`^${target} .*target +SELL +25 +LIMIT`, 'm'),
    );
    // Nothing left working.
    expect(after.slice(after.indexOf('OPEN ORDERS'), after.indexOf('ORPHANS'))).toMatch(/no open orders/);

    // q ends the screen and som with it.
    tmux('send-keys', '-t', 'watch', 'q');
    await until(
      'som watch ended',
      async () => spawnSync('tmux', ['-L', server, 'has-session', '-t', 'watch']).status !== 0,
    );
  }, 60_000);

  it('keys typed in one burst act in order: j selects the held order, p proceeds with it', async () => {
    await scenario(h.ex, 'NSE:SBIN', { widen_spread: 30, dry_up_depth: 20 });
    const trade = await somJson(h.t, ['trade', 'NSE:SBIN', '--side', 'BUY', '--qty', '500', '--product', 'MIS']);
    expect(trade.code).toBe(4);
    const alertId: number = trade.doc.held.alert_id;
    const command = [process.execPath, join(ROOT, 'bin/som'), '--socket', h.t.socket, 'watch'].map(quote).join(' ');
    tmux('new-session', '-d', '-s', 'held', '-x', '180', '-y', '50', `env NO_COLOR=1 ${command}`);
    const pane = () => tmux('capture-pane', '-p', '-t', 'held');
    await until('the held order under ALERTS', async () => pane().includes(`#${alertId} `), 15_000);
    expect(pane()).toMatch(new RegExp(`^  #${alertId} .*HELD until`, 'm'));
    tmux('send-keys', '-t', 'held', 'j', 'p');
    const sent = await until(
      'the held order sent',
      async () => {
        const orders = (await h.web.getOrders()).filter(
          (o) => o.tradingsymbol === 'SBIN' && o.transaction_type === 'BUY' && o.quantity === 500,
        );
        return orders.length > 0 ? orders : null;
      },
      15_000,
      () => `the screen:\n${pane()}`,
    );
    expect(sent).toHaveLength(1);
    // Not once, not the wrong alert: the answer names this one and it is no longer held.
    await until('the proceed answered on the screen', async () => !pane().includes(`#${alertId} high HELD`), 15_000);
    tmux('send-keys', '-t', 'held', 'q');
  }, 60_000);
});

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
