import { describe, expect, it } from 'vitest';
import { strategyPnl, unrealisedPnl } from '../../src/pnl/strategy-pnl.js';

describe('strategyPnl', () => {
  it('realised + unrealised - charges, a short gaining as the price falls, MCX by its multiplier', () => {
    const pnl = strategyPnl(
      [
        // Long 100 SBIN at 960, last 955: unrealised 100 x (955 - 960) = -500; realised 1,200.
        {
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          product: 'MIS',
          quantity: 100,
          average_price: 960,
          multiplier: 1,
          last_price: 955,
          realised: 1200,
        },
        // Short 65 NIFTY calls at 120, last 95.5: -65 x (95.5 - 120) = +1,592.5.
        {
          exchange: 'NFO',
          tradingsymbol: 'NIFTY26DEC24500CE',
          product: 'NRML',
          quantity: -65,
          average_price: 120,
          multiplier: 1,
          last_price: 95.5,
          realised: 0,
        },
        // Long 2 lots of CRUDEOIL (100 barrels each) at 6,000, last 5,990: 2 x 100 x -10 = -2,000.
        {
          exchange: 'MCX',
          tradingsymbol: 'CRUDEOIL26DECFUT',
          product: 'NRML',
          quantity: 2,
          average_price: 6000,
          multiplier: 100,
          last_price: 5990,
          realised: 0,
        },
      ],
      145.25,
    );
    // unrealised = -500 + 1,592.5 - 2,000 = -907.5; net = 1,200 - 907.5 - 145.25 = 147.25.
    expect(pnl.unrealised).toBe(-907.5);
    expect(pnl.realised).toBe(1200);
    expect(pnl.net).toBe(147.25);
    expect(pnl.positions.map((p) => p.pnl)).toEqual([700, 1592.5, -2000]);
  });

  it('a closed position has only its realised P&L', () => {
    expect(unrealisedPnl({ quantity: 0, multiplier: 1, last_price: 10, average_price: 0 })).toBe(0);
  });
});
