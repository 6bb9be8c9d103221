import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';

const ROOT = join(import.meta.dirname, '../..');

describe('[risk] and [pnl] configuration', () => {
  it('defaults: limits below Kite, the square-off timetable and the Greeks rate', () => {
    const config = parseConfigText('', 'x');
    expect(config.risk).toEqual({
      warn_pct: 80,
      max_daily_loss: 100_000,
      max_orders_per_minute: 300,
      max_orders_per_day: 4000,
      mis_equity: { warn: 15, start: 10, force: 5 },
      mis_fno: { warn: 15, start: 10, force: 5 },
      mis_currency: { warn: 15, start: 10, force: 5 },
      mis_commodity: { warn: 15, start: 10, force: 5 },
      square_off_orders_per_second: 10,
      square_off_protection_pct: 1,
      square_off_escalation_protection_pct: 2.5,
      square_off_reprice_seconds: 2,
      square_off_deadline_seconds: 10,
      max_modifications: 25,
      check_schedule: '* * * * *',
      mis_schedule: '* * * * *',
    });
    expect(config.pnl).toEqual({ rate: 0.0525, snapshot_interval_minutes: 5 });
  });

  it('config.example.toml documents the same values', () => {
    const text = readFileSync(join(ROOT, 'config.example.toml'), 'utf8');
    const example = parseConfigText(text, 'config.example.toml');
    expect(example.risk).toEqual(parseConfigText('', 'x').risk);
    expect(example.pnl).toEqual(parseConfigText('', 'x').pnl);
  });

  it('refuses limits above Kite and names the key', () => {
    expect(() => parseConfigText('[risk]\nmax_orders_per_minute = 500', 'x')).toThrow(/risk\.max_orders_per_minute/);
    expect(() => parseConfigText('[risk]\nsquare_off_orders_per_second = 20', 'x')).toThrow(
      /risk\.square_off_orders_per_second/,
    );
    expect(() => parseConfigText('[risk]\nmis_equity = { warn = "3pm" }', 'x')).toThrow(/risk\.mis_equity\.warn/);
    expect(() => parseConfigText('[pnl]\nrate = 6.5', 'x')).toThrow(/pnl\.rate/);
  });
});
