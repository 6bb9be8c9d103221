/**
 * POST /charges/orders: Kite's virtual contract note (kite.trade/docs/connect/v3/margins,
 * "Virtual contract note"; the official clients' getVirtualContractNote). A JSON array of
 * executed orders in; for each, in the same order, the order echoed with `price` (the
 * request's `average_price`) and its `charges`. Kite's answer carries no `order_id`, so callers
 * match rows to requests by position (Kite forum, "Virtual Contract Note", 2025).
 */
import { z } from 'zod';
import type { KiteCharges } from '../../../costs/charges.js';
import { orderCharges, type PaperChargesDeps } from '../../charges.js';
import { inputError } from '../kite-error.js';
import type { Route } from '../router.js';

/** One row of the answer (kiteconnect's VirtualContractResponse). */
export interface ContractNoteRow {
  transaction_type: string;
  tradingsymbol: string;
  exchange: string;
  variety: string;
  product: string;
  order_type: string;
  quantity: number;
  price: number;
  charges: KiteCharges;
}

const contractNoteRequest = z.array(
  z
    .object({
      // "It can be any random string to calculate charges for an imaginary order" (kiteconnect types).
      order_id: z.union([z.string(), z.number()]).optional(),
      exchange: z.string().min(1),
      tradingsymbol: z.string().min(1),
      transaction_type: z.enum(['BUY', 'SELL']),
      variety: z.string().min(1),
      product: z.string().min(1),
      order_type: z.string().min(1),
      quantity: z.number().int().positive(),
      // "Average price at which the order was executed (Note: Should be non-zero)."
      average_price: z.number().positive(),
    })
    .passthrough(),
);

export function chargesRoutes(deps: PaperChargesDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/charges/orders',
      auth: true,
      limit: 'other',
      handle: ({ params }) => {
        const parsed = contractNoteRequest.safeParse(params.json);
        if (!parsed.success) {
          throw inputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
        }
        const rows: ContractNoteRow[] = parsed.data.map((o) => {
          const charges = orderCharges({ ...o, price: o.average_price }, deps);
          if ('code' in charges) throw inputError(charges.message);
          return {
            transaction_type: o.transaction_type,
            tradingsymbol: o.tradingsymbol,
            exchange: o.exchange,
            variety: o.variety,
            product: o.product,
            order_type: o.order_type,
            quantity: o.quantity,
            price: o.average_price,
            charges,
          };
        });
        return { data: rows };
      },
    },
  ];
}
