import type { InstrumentKey } from '../src/domain/parse/instrument-key.js';
import { splitInstrumentKey } from '../src/domain/parse/instrument-key-syntax.js';
import type { CommandIO } from './context.js';
import { orUsageError } from './flags.js';

/**
 * The exchange and trading symbol an instrument argument names. `EXCHANGE:TRADINGSYMBOL` is read here;
 * a bare symbol is placed by somd, which has the instrument master (one exchange listing it)
 * and the symbol's grammar (NIFTY's options are NFO's) to go by, and says which exchanges it
 * could be on when neither decides.
 */
export async function instrumentKeyOf(text: string, io: CommandIO): Promise<InstrumentKey> {
  const written = orUsageError(splitInstrumentKey(text));
  if (written.exchange !== null) return { exchange: written.exchange, tradingsymbol: written.tradingsymbol };
  const { instrument } = await (await io.client()).call('instruments.show', { symbol: text });
  return { exchange: instrument.exchange, tradingsymbol: instrument.tradingsymbol };
}
