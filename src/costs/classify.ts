/**
 * What kind of order a leg is, for its charges: the charge segment (delivery, intraday,
 * futures, options of equity, commodity or currency) and the exchange segment (exchange
 * transaction charges differ per exchange).
 *
 * The instrument master says what an instrument is. A derivative that is not in it (an
 * expired contract, a costing for a past date) is read from Kite's trading-symbol grammar,
 * with a NOT_IN_MASTER warning. An equity symbol not in the master cannot be read that way
 * (nothing in "SBIN" says it is a share), so it is an error, as are an exchange the engine
 * does not cost and a symbol that is not a derivative where one is expected.
 */
import type { Instrument } from '../domain/instrument.js';
import { TRADING_PRODUCTS, type TradingProduct } from '../domain/values.js';
import { isTradingSymbolError, parseTradingSymbol } from '../market/tradingsymbol.js';
import { contractMultiplier } from './multipliers.js';
import type { ChargeSegment, ExchangeSegment } from './schedule-schema.js';
import type { CostError, CostWarning } from './types.js';

/** Exchanges the engine costs. BCD (BSE currency) and NCO (NCDEX) have no schedule. */
export const COSTED_EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'CDS'] as const;
export type CostedExchange = (typeof COSTED_EXCHANGES)[number];

/** Kite's products the engine costs. MTF has its own brokerage and interest, not modelled. */
/** The products a costing takes: the ones som trades. */
export const COSTED_PRODUCTS = TRADING_PRODUCTS;
export type CostProduct = TradingProduct;

/** What classification reads from an instrument master row (Kite's `Instrument` fits). */
export type ClassifiableInstrument = Pick<Instrument, 'exchange' | 'tradingsymbol' | 'name' | 'instrument_type'> & {
  /** Kite's `segment` (INDICES marks an index, which cannot be traded). */
  segment?: string;
  /** Units of price per unit of quantity, when the caller knows it (see multipliers.ts). */
  multiplier?: number;
};

export interface LegClass {
  exchange: CostedExchange;
  tradingsymbol: string;
  segment: ChargeSegment;
  exchange_segment: ExchangeSegment;
  /** Turnover = price x quantity x multiplier (lots on MCX and CDS). */
  multiplier: number;
  /** Where the classification came from. */
  source: 'master' | 'symbol';
  warnings: CostWarning[];
}

type Kind = 'EQ' | 'FUT' | 'OPT';

/** What the derivatives of each exchange are derived from. */
const FAMILY: Record<Exclude<CostedExchange, 'NSE' | 'BSE'>, 'equity' | 'commodity' | 'currency'> = {
  NFO: 'equity',
  BFO: 'equity',
  MCX: 'commodity',
  CDS: 'currency',
};

/** Where a cash-market symbol's derivatives trade, for a helpful message. */
const DERIVATIVES_EXCHANGE: Record<'NSE' | 'BSE', string> = { NSE: 'NFO', BSE: 'BFO' };

function isCostedExchange(x: string): x is CostedExchange {
  return (COSTED_EXCHANGES as readonly string[]).includes(x);
}

function isCostProduct(x: string): x is CostProduct {
  return (COSTED_PRODUCTS as readonly string[]).includes(x);
}

function segmentOf(exchange: CostedExchange, kind: Kind, product: CostProduct): ChargeSegment {
  if (exchange === 'NSE' || exchange === 'BSE') return product === 'CNC' ? 'equity_delivery' : 'equity_intraday';
  return `${FAMILY[exchange]}_${kind === 'FUT' ? 'futures' : 'options'}`;
}

function exchangeSegmentOf(exchange: CostedExchange, kind: Kind): ExchangeSegment {
  if (exchange === 'NSE' || exchange === 'BSE') return `${exchange}_EQ`;
  return `${exchange}_${kind === 'FUT' ? 'FUT' : 'OPT'}`;
}

/**
 * Classify one leg. `instrument` is the master's row for `exchange:tradingsymbol`, or null
 * when the master does not list it. Errors: INVALID_INPUT for an exchange or product the engine
 * does not cost, a product that does not fit the instrument, an index, or a symbol that is not a
 * derivative where one is expected; NOT_FOUND for an equity symbol not in the master or a
 * commodity/currency contract whose multiplier is not known.
 */
export function classifyLeg(
  exchange: string,
  tradingsymbol: string,
  product: string,
  instrument: ClassifiableInstrument | null,
): LegClass | CostError {
  const key = `${exchange}:${tradingsymbol}`;
  if (!isCostedExchange(exchange)) {
    return {
      code: 'INVALID_INPUT',
      message: `${key}: unknown exchange ${JSON.stringify(exchange)}; charges are known for ${COSTED_EXCHANGES.join(', ')}`,
    };
  }
  if (!isCostProduct(product)) {
    return {
      code: 'INVALID_INPUT',
      message: `${key}: product ${JSON.stringify(product)} is not costed; use ${COSTED_PRODUCTS.join(', ')}`,
    };
  }
  const cash = exchange === 'NSE' || exchange === 'BSE';
  const warnings: CostWarning[] = [];
  let kind: Kind;
  let underlying: string;
  let source: LegClass['source'];

  if (instrument) {
    if (instrument.segment === 'INDICES')
      return { code: 'INVALID_INPUT', message: `${key} is an index; it cannot be traded` };
    kind = instrument.instrument_type === 'EQ' ? 'EQ' : instrument.instrument_type === 'FUT' ? 'FUT' : 'OPT';
    underlying = instrument.name;
    source = 'master';
    if (cash !== (kind === 'EQ')) {
      return {
        code: 'INVALID_INPUT',
        message: `${key}: the instrument master lists it as ${instrument.instrument_type}, which ${exchange} does not trade`,
      };
    }
  } else {
    const parsed = parseTradingSymbol(tradingsymbol);
    if (cash) {
      if (!isTradingSymbolError(parsed)) {
        return {
          code: 'INVALID_INPUT',
          message: `${key} looks like a derivative, which trades on ${DERIVATIVES_EXCHANGE[exchange]} (${DERIVATIVES_EXCHANGE[exchange]}:${tradingsymbol}), not ${exchange}`,
        };
      }
      return {
        code: 'NOT_FOUND',
        message: `no instrument ${key} in the instrument master; an equity must be listed there to be costed`,
      };
    }
    if (isTradingSymbolError(parsed)) {
      const why =
        parsed.code === 'TRADINGSYMBOL_NOT_DERIVATIVE'
          ? `${exchange} trades futures and options only; ${parsed.message}`
          : parsed.message;
      return {
        code: 'INVALID_INPUT',
        message: `${key} is not in the instrument master and cannot be read as a contract: ${why}`,
      };
    }
    kind = parsed.kind === 'FUT' ? 'FUT' : 'OPT';
    underlying = parsed.underlying;
    source = 'symbol';
    warnings.push({
      code: 'NOT_IN_MASTER',
      message: `${key} is not in the instrument master (expired or not listed); costed as ${kind === 'FUT' ? 'a future' : 'an option'} on ${underlying} from its symbol`,
    });
  }

  if (cash && product === 'NRML') {
    return {
      code: 'INVALID_INPUT',
      message: `${key}: NRML is for derivatives; an equity order takes CNC (delivery) or MIS (intraday)`,
    };
  }
  if (!cash && product === 'CNC') {
    return {
      code: 'INVALID_INPUT',
      message: `${key}: CNC is for equity delivery; a futures or options order takes NRML or MIS`,
    };
  }

  const multiplier = instrument?.multiplier ?? contractMultiplier(exchange, underlying);
  if (multiplier === null || !(multiplier > 0)) {
    return {
      code: 'NOT_FOUND',
      message: `${key}: no contract multiplier known for ${exchange} ${underlying} (${exchange} quantities are in lots); its charges cannot be computed`,
    };
  }

  return {
    exchange,
    tradingsymbol,
    segment: segmentOf(exchange, kind, product),
    exchange_segment: exchangeSegmentOf(exchange, kind),
    multiplier,
    source,
    warnings,
  };
}
