import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN } from '../paper/conformance/paper-session.js';
import { ROOT, somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, scenario as scenarioOf, until, webSession, writeConfig } from './kite-paper.js';

/**
 * `som trade` with a person at the terminal: a real pseudo-terminal (tmux), real somd and som
 * processes, the paper exchange. What the screen shows is read with capture-pane; keys are sent
 * as a person types them.
 */
function tmuxVersion(): string | null {
  try {
    return execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const TMUX = tmuxVersion();
/** A tmux server of this test's own, so that nobody else's sessions are touched. */
const SERVER = `som-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SERVER, ...args], { encoding: 'utf8' });

describe.skipIf(TMUX === null)(
  `som trade at a terminal (tmux)${TMUX === null ? ': SKIPPED, tmux is not installed (Debian: apt-get install tmux)' : ''}`,
  () => {
    const h = {} as Harness;
    let xdg: string;
    let sessions = 0;

    beforeAll(async () => {
      h.t = tempHome();
      h.ex = await PaperExchange.start({
        seed: 48,
        clock: MARKET_OPEN,
        tickIntervalMs: 100,
        port: 0,
        rateLimits: false,
      });
      const config = writeConfig(
        h.t,
        h.ex,
        [
          '',
          '[housekeeping]',
          'sweep_schedule = "0 0 1 1 *"',
          '[execution]',
          'reask_cost_bps = 10000',
          'reask_unfilled_pct = 100',
          '',
        ].join('\n'),
      );
      h.somd = await startSomd(h.t, ['--config', config]);
      expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
      h.web = await webSession(h.ex);
      await until('connected', async () => (await somJson(h.t, ['status'])).doc.broker.state === 'connected', 15_000);
      xdg = join(h.t.dir, 'xdg');
      mkdirSync(xdg, { recursive: true });
    }, 40_000);

    afterAll(async () => {
      try {
        tmux('kill-server');
      } catch {
        // No session was left.
      }
      // tmux leaves its socket file behind.
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SERVER), { force: true });
      await h.somd?.stop();
      await h.ex?.close();
      h.t?.cleanup();
    });

    /** Run som in a new tmux window of 120 x 60; returns its name. The shell prints EXIT=code when som ends. */
    function terminal(args: string[]): string {
      const name = `t${++sessions}`;
      const env = [`SOM_SOCKET=${h.t.socket}`, `XDG_CONFIG_HOME=${xdg}`, 'NO_COLOR=1', 'TERM=xterm-256color'];
      const command = [process.execPath, join(ROOT, 'bin/som'), ...args].map((a) => `'${a}'`).join(' ');
      tmux(
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        '120',
        '-y',
        '60',
        `env ${env.join(' ')} ${command}; echo EXIT=$?; sleep 600`,
      );
      return name;
    }
    const screen = (name: string) => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', name);
    const shows = (name: string, text: string | RegExp, timeoutMs = 15_000) =>
      until(
        `the screen to show ${text}`,
        async () => {
          const s = screen(name);
          return (typeof text === 'string' ? s.includes(text) : text.test(s)) ? s : null;
        },
        timeoutMs,
      );
    const keys = (name: string, ...k: string[]) => tmux('send-keys', '-t', name, ...k);
    const scenario = (symbol: string, body: Record<string, unknown>) => scenarioOf(h.ex, `NSE:${symbol}`, body);
    const atExchange = async (symbol: string) => (await h.web.getOrders()).filter((o) => o.tradingsymbol === symbol);

    it('the confirmation box shows costs, margin and the analysis; arrows and Enter proceed', async () => {
      const t = terminal(['trade', 'NSE:INFY', '--side', 'BUY', '--qty', '5', '--product', 'MIS']);
      const box = await shows(t, 'Proceed with orders');
      expect(box).toContain('Trade for strategy default');
      expect(box).toContain('EXECUTE MARKET  BUY 5 NSE:INFY MIS: MARKET with protection');
      expect(box).toContain('Pre-trade costs, trade date 2026-11-25');
      expect(box).toMatch(/Margin required/);
      expect(box).toContain('✓ OK: the account can carry this trade');
      expect(await atExchange('INFY')).toEqual([]);
      // In one burst, as a quick hand types them: Enter takes the choice Right moved to.
      keys(t, 'Right', 'Enter');
      const done = await shows(t, /EXIT=\d+/);
      expect(done).toMatch(/sent BUY 5 NSE:INFY: order \d+/);
      expect(done).toContain('EXIT=0');
      expect((await atExchange('INFY')).length).toBe(1);
    });

    it('with the preference trade.confirm = never, no confirmation box: sent at once', async () => {
      // As the user sets it: som config writes $XDG_CONFIG_HOME/som/preferences.json.
      const config = (...args: string[]) =>
        execFileSync(process.execPath, [join(ROOT, 'bin/som'), 'config', ...args], {
          encoding: 'utf8',
          env: { ...process.env, XDG_CONFIG_HOME: xdg },
        });
      expect(config('set', 'trade.confirm', 'never')).toBe('trade.confirm = never\n');
      expect(existsSync(join(xdg, 'som', 'preferences.json'))).toBe(true);
      try {
        const t = terminal(['trade', 'NSE:INFY', '--side', 'SELL', '--qty', '5', '--product', 'MIS']);
        const done = await shows(t, /EXIT=\d+/);
        expect(done).not.toContain('Proceed with orders');
        expect(done).toMatch(/sent SELL 5 NSE:INFY: order \d+/);
        expect(done).toContain('EXIT=0');
      } finally {
        config('unset', 'trade.confirm');
      }
    });

    it('a held order asks Cancel / Use LIMIT / Proceed; l sends a LIMIT at the computed price', async () => {
      await scenario('SBIN', { widen_spread: 30, dry_up_depth: 20 });
      const t = terminal(['trade', 'NSE:SBIN', '--side', 'BUY', '--qty', '500', '--product', 'MIS', '--yes']);
      const asked = await shows(t, '[p] Proceed anyway');
      expect(asked).toContain('REQUIRE APPROVAL: BUY 500 NSE:SBIN');
      expect(asked).toMatch(/\[c\] Cancel +\[l\] Use LIMIT [\d.]+ +\[p\] Proceed anyway/);
      expect(asked).toMatch(/left/);
      expect(await atExchange('SBIN')).toEqual([]);
      keys(t, 'l');
      const done = await shows(t, /EXIT=\d+/);
      expect(done).toMatch(/limit: sent/);
      expect(done).toContain('EXIT=0');
      const [sent] = await atExchange('SBIN');
      expect(sent).toMatchObject({ order_type: 'LIMIT', transaction_type: 'BUY', quantity: 500 });
      await h.web.cancelOrder('regular', sent!.order_id).catch(() => undefined);
    });

    it('c cancels a held order: nothing reaches the exchange', async () => {
      const before = (await atExchange('SBIN')).length;
      const t = terminal(['trade', 'NSE:SBIN', '--side', 'BUY', '--qty', '500', '--product', 'MIS', '--yes']);
      await shows(t, '[p] Proceed anyway');
      keys(t, 'c');
      const done = await shows(t, /EXIT=\d+/);
      expect(done).toContain('cancel: cancelled; nothing was sent');
      expect(done).toContain('EXIT=0');
      expect((await atExchange('SBIN')).length).toBe(before);
    });
  },
);
