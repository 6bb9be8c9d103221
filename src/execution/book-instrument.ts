import { contractMultiplier } from '../costs/multipliers.js';
import type { Instrument } from '../domain/instrument.js';
import type { BookInstrument } from './depth.js';
import type { ExecutionError } from './errors.js';
import { instrumentClassOf } from './instrument-class.js';

/**
 * The facts an analysis needs of an instrument master row: its tick and lot sizes, its contract
 * multiplier (costs/multipliers.ts: 1 except MCX and CDS) and its class. An index is not traded;
 * a contract whose multiplier som does not know is refused rather than costed wrong.
 */
export function bookInstrument(instrument: Instrument): BookInstrument | ExecutionError {
  const key = `${instrument.exchange}:${instrument.tradingsymbol}`;
  if (instrument.segment === 'INDICES') {
    return { code: 'INVALID_INSTRUMENT', message: `${key} is an index: it has no book to trade against` };
  }
  const multiplier = contractMultiplier(instrument.exchange, instrument.name);
  if (multiplier === null) {
    return {
      code: 'INVALID_INSTRUMENT',
      message: `${key}: the contract multiplier of ${instrument.name} is not known, so its cost cannot be judged`,
    };
  }
  return {
    tick_size: instrument.tick_size,
    lot_size: instrument.lot_size,
    multiplier,
    instrument_class: instrumentClassOf(instrument),
  };
}
