import { describe, expect, it } from 'vitest';
import { normalizeOrder } from '../../src/broker/kite-normalize.js';
import { fateAlertKey, fateUnknownAlert, settleIntents, settlementResolution } from '../../src/broker/order-fate.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import type { BrokerOrder } from '../../src/domain/order.js';
import { fixture } from './support.js';

const template = normalizeOrder(fixture<unknown[]>('orders.json')[1]);
const tagged = (orderId: string, tag: string, where: 'tag' | 'tags' = 'tag'): BrokerOrder => ({
  ...template,
  order_id: orderId,
  tag: where === 'tag' ? tag : null,
  tags: where === 'tags' ? ['web', tag] : [],
});

describe('settling intents whose fate was unknown', () => {
  const found = newOrderTag(3, () => 0.1);
  const foundInTags = newOrderTag(3, () => 0.2);
  const missing = newOrderTag(4, () => 0.3);

  it('found by tag (in `tag` or among `tags`) is placed as that order; absent was never placed', () => {
    const book = [tagged('1001', found), tagged('1002', foundInTags, 'tags'), tagged('1003', newOrderTag(3))];
    const settled = settleIntents(
      [
        { tag: found, strategyId: 3 },
        { tag: foundInTags, strategyId: 3 },
        { tag: missing, strategyId: 4 },
      ],
      book,
    );
    expect(settled.map((s) => [s.tag, s.kind, s.kind === 'placed' ? s.order.order_id : null])).toEqual([
      [found, 'placed', '1001'],
      [foundInTags, 'placed', '1002'],
      [missing, 'not_sent', null],
    ]);
    expect(settlementResolution(settled[0]!)).toBe(
      `placed: the order book has tag ${found} as order 1001; som has adopted it`,
    );
    expect(settlementResolution(settled[2]!)).toBe(
      `never placed: the order book has no order tagged ${missing}; som did not send it again`,
    );
  });

  it('the alert names the order, the tag to look for on Kite, and that som will not resend it', () => {
    const alert = fateUnknownAlert({
      tag: found,
      strategyId: 3,
      why: 'the order book could not be read (Service unavailable)',
      request: {
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'BUY',
        order_type: 'LIMIT',
        product: 'MIS',
        quantity: 25,
        price: 955.5,
        validity: 'DAY',
        tag: found,
      },
    });
    expect(alert).toMatchObject({
      type: 'ORDER_FATE_UNKNOWN',
      priority: 'high',
      strategyId: 3,
      dedupeKey: fateAlertKey(found),
      payload: { tag: found, exchange: 'NSE', tradingsymbol: 'SBIN', side: 'BUY', quantity: 25, price: 955.5 },
    });
    expect(alert.title).toBe(`Order fate unknown: BUY 25 NSE:SBIN (tag ${found})`);
    expect(alert.message).toContain('BUY 25 NSE:SBIN (MIS LIMIT @ 955.5)');
    expect(alert.message).toContain(`Look for tag ${found} in Kite's order book`);
    expect(alert.message).toContain('som will not send it again');
    expect(alert.message).toContain('Service unavailable');
  });
});
