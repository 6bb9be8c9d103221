/**
 * The paper exchange's instrument: Kite's instrument-master row plus the facts an exchange
 * needs that Kite's CSV does not carry. They sit under one `paper` key so that a
 * `PaperInstrument` is still an `Instrument` (toKiteCsv and every Instrument consumer accept
 * it unchanged) and the Kite field names stay untouched.
 */
import type { Instrument } from '../../domain/instrument.js';

export interface PaperFacts {
  /**
   * The price the simulation starts this instrument at: an index or share level, a futures
   * price, or an option premium from a simple model. A seed, not market data.
   */
  referencePrice: number;
  /**
   * The largest quantity one order may carry, in the units Kite's `quantity` uses (shares or
   * index units for NSE/BSE/NFO/BFO, lots for MCX); null when there is none (cash equities,
   * indices). Orders above it must be sliced (Kite's `autoslice`).
   */
  freezeQuantity: number | null;
  /**
   * Daily price band as a percentage of the reference price (base band; exchanges may relax
   * it intraday); null where the exchange sets ranges by another method (options) or the
   * instrument is not traded (indices).
   */
  circuitBandPct: number | null;
  /** The underlying's symbol for derivatives (NIFTY, RELIANCE, CRUDEOIL), else null. */
  underlying: string | null;
  /**
   * instrument_token of what a derivative is priced from: the index, the NSE share, or for an
   * MCX option the same month's future. Null for cash instruments and MCX futures.
   */
  underlyingToken: number | null;
  /**
   * Units per unit of `quantity` for P&L and turnover, as Kite's positions report `multiplier`:
   * 1 except on MCX, where quantity counts lots (CRUDEOIL 100 barrels a lot).
   */
  multiplier: number;
}

export interface PaperInstrument extends Instrument {
  paper: PaperFacts;
}
