import type { Instrument } from './instrument.js';
import type { SymbolListing } from './parse/instrument-key.js';
import type { Exchange } from './values.js';

/**
 * The rows of the instrument master a request needs, held in memory so that pure rules (the
 * charges engine, the instrument-key parser) can look them up synchronously.
 */
export interface MasterSlice extends SymbolListing {
  /** The row for `exchange:tradingsymbol`, trying the upper-case spelling too; null when not listed. */
  instrument(exchange: string, tradingsymbol: string): Instrument | null;
}

/** A {@link MasterSlice} over `rows` (typically every row listing the symbols a request names). */
export function masterSlice(rows: readonly Instrument[]): MasterSlice {
  const byKey = new Map<string, Instrument>();
  const bySymbol = new Map<string, Exchange[]>();
  for (const row of rows) {
    byKey.set(`${row.exchange}:${row.tradingsymbol}`, row);
    const exchanges = bySymbol.get(row.tradingsymbol) ?? [];
    if (!exchanges.includes(row.exchange)) exchanges.push(row.exchange);
    bySymbol.set(row.tradingsymbol, exchanges);
  }
  return {
    instrument: (exchange, tradingsymbol) =>
      byKey.get(`${exchange}:${tradingsymbol}`) ?? byKey.get(`${exchange}:${tradingsymbol.toUpperCase()}`) ?? null,
    exchangesListing: (tradingsymbol) => bySymbol.get(tradingsymbol) ?? bySymbol.get(tradingsymbol.toUpperCase()) ?? [],
  };
}
