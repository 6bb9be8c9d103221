import { describe, expect, it } from 'vitest';
import { accountUtilisationPct, segmentUse, utilisationPct } from '../../src/risk/margin-use.js';

describe('margin in use', () => {
  it("blocked / (blocked + free) x 100, from Kite's utilised.debits and net", () => {
    const equity = segmentUse({
      enabled: true,
      net: 60_000,
      available: { cash: 0, opening_balance: 0, live_balance: 0, collateral: 0, intraday_payin: 0, adhoc_margin: 0 },
      utilised: { debits: 40_000 },
    });
    // 40,000 / (40,000 + 60,000) = 40%; with a further 10,000 required: 50,000 / 100,000 = 50%.
    expect(utilisationPct(equity!)).toBe(40);
    expect(utilisationPct(equity!, 10_000)).toBe(50);
  });

  it('the account: the higher of the two fund segments; a disabled or empty segment counts for nothing', () => {
    expect(
      accountUtilisationPct([
        { used: 40_000, available: 60_000 },
        { used: 9_000, available: 1_000 },
      ]),
    ).toBe(90);
    expect(accountUtilisationPct([null, { used: 0, available: 0 }])).toBeNull();
    expect(segmentUse(undefined)).toBeNull();
  });
});
