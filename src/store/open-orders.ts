import { type RawBuilder, sql } from 'kysely';
import { TERMINAL_STATUSES } from '../domain/order.js';

/**
 * "The order still works" (not COMPLETE, CANCELLED or REJECTED), as SQL on `orders` with its
 * statuses written out. SQLite reads the partial index `orders_open` (only working orders) for
 * a condition that names the same statuses as literals, never for bound parameters; without it
 * each of these reads walks every order som has recorded, years of them.
 */
export const orderWorks: RawBuilder<boolean> = sql.raw(
  `"status" not in (${[...TERMINAL_STATUSES].map((s) => `'${s}'`).join(', ')})`,
);
