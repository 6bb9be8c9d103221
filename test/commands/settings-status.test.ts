import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PROFILES } from '../../src/domain/strategy-settings.js';
import { som } from './fake-som.js';
import { STATUS } from './fixtures.js';

beforeAll(() => {
  // Plain text whatever terminal runs the tests.
  vi.stubEnv('FORCE_COLOR', '0');
});

describe('som settings set', () => {
  it('sends each value as typed as its text allows, for the named strategy', async () => {
    const r = await som(
      [
        'settings',
        'set',
        'max_order_spread_pct=0.45',
        'auto_cleanup_enabled=false',
        'max_orders_per_minute=12',
        '--strategy',
        'tuned',
      ],
      {
        'settings.update': () => ({
          strategy: 'tuned',
          settings: PROFILES.default,
          changed: [{ key: 'max_order_spread_pct', from: 0.5, to: 0.45 }],
        }),
      },
    );
    expect(r.calls).toEqual([
      {
        method: 'settings.update',
        params: {
          strategy: 'tuned',
          settings: { max_order_spread_pct: 0.45, auto_cleanup_enabled: false, max_orders_per_minute: 12 },
        },
      },
    ]);
    expect(r.stdout).toBe('tuned: max_order_spread_pct 0.5 -> 0.45\n');
  });

  it('the default strategy when none is named; an unknown key is refused before asking', async () => {
    const r = await som(['settings', 'set', 'margin_buffer_pct=20'], {
      'settings.update': () => ({ strategy: 'default', settings: PROFILES.default, changed: [] }),
    });
    expect(r.calls[0]!.params).toMatchObject({ strategy: 'default' });
    expect(r.stdout).toBe('strategy default: nothing changed\n');
    const unknown = await som(['settings', 'set', 'no_such_key=1']);
    expect(unknown).toMatchObject({ code: 2, connected: false });
    expect(unknown.stderr).toMatch(/^som: unknown setting no_such_key; settings are: auto_cleanup_enabled, /);
  });

  it('--help lists every key with its meaning', async () => {
    const r = await som(['settings', 'set', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/max_margin_utilization_pct +largest share of available margin in use/);
  });
});

describe('som status', () => {
  it('--json is the status document as somd sent it', async () => {
    const r = await som(['--json', 'status'], { 'system.status': () => STATUS });
    expect(r.calls).toEqual([{ method: 'system.status', params: {} }]);
    expect(r.stdout).toBe(`${JSON.stringify(STATUS, null, 2)}\n`);
  });

  it('the human view names every part with its state', async () => {
    const r = await som(['status'], { 'system.status': () => STATUS });
    expect(r.stdout).toMatch(/^somd +0\.1\.0 \(protocol 1\), pid 4242, paper mode\n/m);
    expect(r.stdout).toMatch(/^store +ok +\/fake\/home\/som\.db, schema 4, 4\.0 KiB$/m);
    expect(r.stdout).toMatch(/^up +30m 0s since 2026-11-25 09:30:00 IST$/m);
  });
});

describe('som itself', () => {
  it('--help lists every command with its summary and the exit codes', async () => {
    const r = await som(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}costs \[options\] \[instrument\] +every charge of an order/m);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*3 {2}somd is not running/);
    expect(r.connected).toBe(false);
  });

  it('an unknown command is bad usage, suggesting the near one', async () => {
    const r = await som(['stauts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'stauts'[\s\S]*status/);
  });

  it('som help COMMAND shows that command in full', async () => {
    const r = await som(['help', 'order']);
    expect(r.stdout).toMatch(/^ {2}place \[options\] <instrument>/m);
  });
});
