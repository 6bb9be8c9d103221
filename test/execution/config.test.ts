import { describe, expect, it } from 'vitest';
import { EXECUTION_DEFAULTS, executionRules } from '../../src/config/execution.js';
import { parseConfigText } from '../../src/config/load.js';
import { DEFAULT_EXECUTION_RULES } from '../../src/execution/analyze.js';

function refusal(text: string): string {
  try {
    parseConfigText(text, 'test.toml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('[execution] configuration', () => {
  it('defaults to the rules own defaults: 2 s depth, 2 minutes to answer a held order', () => {
    const c = parseConfigText('', 'x').execution;
    expect(c).toEqual(EXECUTION_DEFAULTS);
    expect(c).toMatchObject({ max_depth_age_ms: 2000, held_order_expiry_seconds: 120 });
    expect(executionRules(c)).toEqual(DEFAULT_EXECUTION_RULES);
  });

  it('takes one class threshold at a time, keeping the others', () => {
    const c = parseConfigText('[execution]\nspread_futures = { wide_pct = 0.2 }\nliquidity_high = 80', 'x').execution;
    expect(c.spread_futures).toEqual({ tight_pct: 0.02, normal_pct: 0.05, wide_pct: 0.2 });
    expect(executionRules(c).spread.classes.futures.wide_pct).toBe(0.2);
    expect(executionRules(c).liquidity).toEqual({ high: 80, medium: 50, low: 25 });
  });

  it('refuses thresholds out of order, unknown keys and tick caps that contradict each other', () => {
    expect(refusal('[execution]\nspread_equity = { tight_pct = 0.5, normal_pct = 0.2 }')).toMatch(
      /execution\.spread_equity: expected tight_pct < normal_pct < wide_pct/,
    );
    expect(refusal('[execution]\nspread_equity = { wide = 1 }')).toMatch(/execution\.spread_equity\.wide: unknown key/);
    expect(refusal('[execution]\nspread_tight_max_ticks = 3')).toMatch(
      /execution\.spread_normal_max_ticks: expected at least spread_tight_max_ticks/,
    );
    expect(refusal('[execution]\nliquidity_low = 60')).toMatch(/execution\.liquidity_medium: expected liquidity_low/);
    expect(refusal('[execution]\nmax_depth_age_ms = 0')).toMatch(/execution\.max_depth_age_ms/);
  });
});
