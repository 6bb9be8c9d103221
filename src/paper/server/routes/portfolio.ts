import { z } from 'zod';
import type { PaperAccount } from '../../account/index.js';
import type { AccountResult, MarginOrderInput } from '../../account/types.js';
import { inputError, KiteError } from '../kite-error.js';
import type { Params } from '../request-params.js';
import type { Route } from '../router.js';

/** An account result's value, or the Kite error it stands for. */
function value<T>(result: AccountResult<T>): T {
  if (result.ok) return result.value;
  throw new KiteError(result.error.error_type, result.error.message, result.error.http_status);
}

const marginOrderSchema = z.array(
  z
    .object({
      exchange: z.string().min(1),
      tradingsymbol: z.string().min(1),
      transaction_type: z.enum(['BUY', 'SELL']),
      variety: z.string().optional(),
      product: z.enum(['CNC', 'MIS', 'NRML', 'MTF']),
      order_type: z.string().min(1),
      quantity: z.number().positive(),
      price: z.number().min(0).optional(),
      trigger_price: z.number().min(0).optional(),
    })
    .passthrough(),
);

function marginOrders(params: Params): MarginOrderInput[] {
  const parsed = marginOrderSchema.safeParse(params.json);
  if (!parsed.success) {
    throw inputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data as MarginOrderInput[];
}

/** Portfolio, funds and margin endpoints (kite.trade/docs/connect/v3/portfolio, /user, /margins). */
export function portfolioRoutes(account: PaperAccount): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/portfolio/positions',
      auth: true,
      limit: 'other',
      handle: () => ({ data: account.positions() }),
    },
    {
      method: 'PUT',
      pattern: '/portfolio/positions',
      auth: true,
      limit: 'other',
      handle: ({ params }) => ({
        data: value(
          account.convertPosition({
            exchange: params.required('exchange'),
            tradingsymbol: params.required('tradingsymbol'),
            transaction_type: params.required('transaction_type'),
            position_type: params.required('position_type'),
            quantity: params.number('quantity') ?? Number.NaN,
            old_product: params.required('old_product'),
            new_product: params.required('new_product'),
          }),
        ),
      }),
    },
    {
      method: 'GET',
      pattern: '/portfolio/holdings',
      auth: true,
      limit: 'other',
      handle: () => ({ data: account.holdings() }),
    },
    {
      method: 'GET',
      pattern: '/user/margins',
      auth: true,
      limit: 'other',
      handle: () => ({ data: account.margins() }),
    },
    {
      method: 'GET',
      pattern: '/user/margins/{segment}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => ({ data: value(account.segmentMargins(pathParams.segment!)) }),
    },
    {
      method: 'POST',
      pattern: '/margins/orders',
      auth: true,
      limit: 'other',
      handle: ({ params }) => ({
        data: value(
          account.orderMargins(marginOrders(params), params.optional('mode') === 'compact' ? 'compact' : 'full'),
        ),
      }),
    },
    {
      method: 'POST',
      pattern: '/margins/basket',
      auth: true,
      limit: 'other',
      handle: ({ params }) => ({
        data: value(account.basketMargins(marginOrders(params), params.optional('consider_positions') !== 'false')),
      }),
    },
  ];
}
