import type { ParamsIn } from '../../src/protocol/methods.js';
import { usageError } from '../context.js';

/** One leg of a basket as it goes to somd; somd reads and judges each field. */
export type BasketLeg = ParamsIn<'costs.calculate'>['instruments'][number];

/** Where a basket comes from: a file, or standard input for `-`. */
export interface BasketSource {
  readStdin(): string;
  readFile(path: string): string;
}

/**
 * A basket, `{"instruments": [...]}`, from a file or `-` (standard input). Only the shape is
 * checked here; somd reads every leg and names the one that is wrong and its field.
 */
export function readBasket(path: string, source: BasketSource): BasketLeg[] {
  const where = path === '-' ? 'standard input' : path;
  let text: string;
  try {
    text = path === '-' ? source.readStdin() : source.readFile(path);
  } catch (err) {
    throw usageError(`cannot read ${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usageError(`${where} is not JSON: ${(err as Error).message}`);
  }
  const instruments = (doc as { instruments?: unknown } | null)?.instruments;
  if (!Array.isArray(instruments)) {
    throw usageError(
      `${where}: expected {"instruments": [{"symbol", "quantity", "price", "side", "product"?, "exit_price"?}, ...]}`,
    );
  }
  return instruments as BasketLeg[];
}
