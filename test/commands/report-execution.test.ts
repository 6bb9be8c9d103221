import { describe, expect, it } from 'vitest';
import type { QualityReportView } from '../../src/protocol/methods/execution.js';
import { som } from './fake-som.js';

/** Two liquid fills at 10 and 30 bps past the mid, one held order answered of two. */
const REPORT: QualityReportView = {
  since: '2026-11-01T18:30:00.000Z',
  strategy: null,
  analysed: 3,
  decisions: { EXECUTE_MARKET: 2, EXECUTE_LIMIT: 0, ALERT_USER_HIGH_COST: 0, REQUIRE_APPROVAL: 1 },
  refused: {},
  filled: 2,
  resting: 0,
  slippage: { liquid: { count: 2, avg_bps: 20, target_bps: 20, met: false }, all: { count: 2, avg_bps: 20 } },
  at_expected_or_better: { count: 1, of: 2, pct: 50, target_pct: 95, met: false },
  alert_response: {
    held: 2,
    answered: 1,
    expired: 1,
    open: 0,
    pct: 50,
    target_pct: 80,
    met: false,
    median_response_ms: 12_000,
  },
  prediction_error: { count: 2, mean_bps: 9.99, mean_abs_bps: 9.99 },
  orders: [],
};

describe('som report execution', () => {
  it('asks for the period and strategy, and shows each metric against its target', async () => {
    const r = await som(['report', 'execution', '--since', '2026-11-02', '--strategy', 'swing'], {
      'execution.report': () => REPORT,
    });
    expect(r.calls[0]).toEqual({ method: 'execution.report', params: { since: '2026-11-02', strategy: 'swing' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Slippage, liquid       20.0 bps over 2 (target < 20.0 bps): not met');
    expect(r.stdout).toContain('At expected or better  50.00% (1 of 2; target 95%): not met');
    expect(r.stdout).toContain(
      'Alert response         50.00% (1 answered, 1 expired, 0 open; target > 80%): not met, median 12.0 s',
    );
    expect(r.stdout).toContain('EXECUTE_MARKET 2, EXECUTE_LIMIT 0, ALERT_USER_HIGH_COST 0, REQUIRE_APPROVAL 1');
  });

  it('--json prints the report as somd sent it; a bad date is exit 2', async () => {
    const r = await som(['--json', 'report', 'execution'], { 'execution.report': () => REPORT });
    expect(JSON.parse(r.stdout)).toEqual(REPORT);
    const bad = await som(['report', 'execution', '--since', '2026-13-01']);
    expect(bad).toMatchObject({ code: 2, connected: false });
  });
});
