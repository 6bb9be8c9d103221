import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import { normalizeOrder } from '../../src/broker/kite-normalize.js';
import {
  type IntentLedger,
  intentErrorCode,
  isResendableFailure,
  OrderFateUnknown,
  placeOrderOnce,
} from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import type { BrokerOrder, PlaceOrderRequest } from '../../src/domain/order.js';
import { SomError } from '../../src/protocol/errors.js';
import { fixture } from './support.js';

/** What happens on each placeOrder / orders() call, in turn. */
type PlaceStep = { ok: string } | { fail: BrokerError; landsAs?: string };
type LookStep = 'book' | BrokerError;

/** A broker whose answers are scripted; it keeps its own order book of tagged orders. */
function scriptedBroker(place: PlaceStep[], looks: LookStep[] = []) {
  const book: BrokerOrder[] = [];
  const sent: PlaceOrderRequest[] = [];
  const log: string[] = [];
  const template = normalizeOrder(fixture<unknown[]>('orders.json')[1]);
  const add = (orderId: string, tag: string | undefined) =>
    book.push({ ...template, order_id: orderId, tag: tag ?? null, tags: tag ? [tag] : [] });
  const broker = {
    async placeOrder(request: PlaceOrderRequest) {
      sent.push(request);
      log.push('send');
      const step = place.shift();
      if (!step) throw new Error('unexpected placeOrder');
      if ('ok' in step) {
        add(step.ok, request.tag);
        return { order_id: step.ok };
      }
      if (step.landsAs) add(step.landsAs, request.tag); // accepted, answer lost
      throw step.fail;
    },
    async orders() {
      log.push('look');
      const step = looks.shift() ?? 'book';
      if (step instanceof BrokerError) throw step;
      return book.map((o) => ({ ...o }));
    },
  } as unknown as Broker;
  return { broker, book, sent, log };
}

function memoryLedger(log: string[] = []) {
  const events: string[] = [];
  const ledger: IntentLedger = {
    async record(i) {
      events.push(`record ${i.tag} s${i.strategyId}`);
      log.push('record');
    },
    async placed(tag, orderId) {
      events.push(`placed ${tag} ${orderId}`);
    },
    async failed(tag, e) {
      events.push(`failed ${tag} ${e.code}`);
    },
    async unknown(tag, e) {
      events.push(`unknown ${tag} ${e.code}`);
    },
  };
  return { ledger, events };
}

const TAG = newOrderTag(5, () => 0.5); // so5xiiiiiiiiiiiiiiii
const request: PlaceOrderRequest = {
  variety: 'regular',
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  order_type: 'LIMIT',
  product: 'CNC',
  quantity: 1,
  price: 1500,
  validity: 'DAY',
  tag: TAG,
};
const input = { strategyId: 5, request };
const noWait = { sleep: async () => {}, lookupDelayMs: 300, lookups: 5 };
const timeout = () =>
  new BrokerError('timeout', 'No response from server with error code: ECONNABORTED', 'NetworkException');
const reset = () =>
  new BrokerError('network', 'No response from server with error code: ECONNRESET', 'NetworkException');

describe('placeOrderOnce', () => {
  it('records the intent before sending, then marks it placed', async () => {
    const b = scriptedBroker([{ ok: '1001' }]);
    const l = memoryLedger(b.log);
    expect(await placeOrderOnce(b.broker, l.ledger, input, noWait)).toEqual({ orderId: '1001', recovered: false });
    expect(b.log).toEqual(['record', 'send']);
    expect(l.events).toEqual([`record ${TAG} s5`, `placed ${TAG} 1001`]);
  });

  it('sends an intent its caller recorded without recording it again, then settles it as usual', async () => {
    const b = scriptedBroker([{ fail: timeout(), landsAs: '3003' }]);
    const l = memoryLedger(b.log);
    expect(await placeOrderOnce(b.broker, l.ledger, input, { ...noWait, recorded: true })).toEqual({
      orderId: '3003',
      recovered: true,
    });
    expect(b.log).toEqual(['send', 'look']);
    expect(l.events).toEqual([`placed ${TAG} 3003`]);
  });

  it('marks a clean refusal failed, rethrows it and looks nothing up', async () => {
    const margin = new BrokerError('margin', 'Insufficient funds', 'MarginException');
    const b = scriptedBroker([{ fail: margin }]);
    const l = memoryLedger(b.log);
    await expect(placeOrderOnce(b.broker, l.ledger, input, noWait)).rejects.toBe(margin);
    expect(b.log).toEqual(['record', 'send']);
    expect(l.events).toEqual([`record ${TAG} s5`, `failed ${TAG} BROKER_MARGIN`]);
  });

  it('finds an order whose answer was lost by its tag, and does not send it again', async () => {
    const b = scriptedBroker([{ fail: timeout(), landsAs: '2002' }]);
    const l = memoryLedger(b.log);
    expect(await placeOrderOnce(b.broker, l.ledger, input, noWait)).toEqual({ orderId: '2002', recovered: true });
    expect(b.sent).toHaveLength(1);
    expect(l.events).toEqual([`record ${TAG} s5`, `placed ${TAG} 2002`]);
  });

  it('keeps looking while Kite has not listed the order yet, pausing between looks', async () => {
    const b = scriptedBroker([{ fail: reset() }]);
    const sleeps: number[] = [];
    let looks = 0;
    const slowBook = {
      ...b.broker,
      placeOrder: b.broker.placeOrder,
      async orders() {
        // the order shows up on the third look
        if (++looks === 3)
          return [{ ...normalizeOrder(fixture<unknown[]>('orders.json')[1]), order_id: '3003', tag: TAG, tags: [TAG] }];
        return [];
      },
    } as Broker;
    const l = memoryLedger();
    const got = await placeOrderOnce(slowBook, l.ledger, input, {
      lookupDelayMs: 250,
      lookups: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(got).toEqual({ orderId: '3003', recovered: true });
    expect(sleeps).toEqual([250, 250, 250]);
    expect(b.sent).toHaveLength(1);
  });

  it('resends once, with the same tag, when the order book was read and the order is not there', async () => {
    const b = scriptedBroker([{ fail: reset() }, { ok: '4004' }]);
    const l = memoryLedger();
    expect(await placeOrderOnce(b.broker, l.ledger, input, noWait)).toEqual({ orderId: '4004', recovered: false });
    expect(b.sent.map((r) => r.tag)).toEqual([TAG, TAG]);
    expect(b.log.filter((x) => x === 'look')).toHaveLength(5);
    expect(l.events).toEqual([`record ${TAG} s5`, `placed ${TAG} 4004`]);
  });

  it('finds the resent order by tag when the resend loses its answer too', async () => {
    const b = scriptedBroker([{ fail: reset() }, { fail: timeout(), landsAs: '5005' }]);
    const l = memoryLedger();
    expect(await placeOrderOnce(b.broker, l.ledger, input, noWait)).toEqual({ orderId: '5005', recovered: true });
    expect(b.sent).toHaveLength(2);
    expect(b.book).toHaveLength(1);
  });

  it('gives up after one resend: unknown, and an ambiguous error naming the tag', async () => {
    const b = scriptedBroker([{ fail: reset() }, { fail: timeout() }]);
    const l = memoryLedger();
    const err = await placeOrderOnce(b.broker, l.ledger, input, noWait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).ambiguous).toBe(true);
    expect((err as BrokerError).message).toContain(TAG);
    expect((err as BrokerError).message).toMatch(/unknown fate/);
    expect(b.sent).toHaveLength(2); // never a third time
    expect(l.events).toEqual([`record ${TAG} s5`, `unknown ${TAG} ORDER_FATE_UNKNOWN`]);
  });

  it('does not resend when the order book cannot be read: the order may be there', async () => {
    const b = scriptedBroker([{ fail: timeout() }], [reset(), reset(), reset(), reset(), reset()]);
    const l = memoryLedger();
    await expect(placeOrderOnce(b.broker, l.ledger, input, noWait)).rejects.toMatchObject({ kind: 'timeout' });
    expect(b.sent).toHaveLength(1);
    expect(l.events).toEqual([`record ${TAG} s5`, `unknown ${TAG} ORDER_FATE_UNKNOWN`]);
  });

  it('marks the intent failed when the resend is refused cleanly', async () => {
    const rejected = new BrokerError('order', 'Order rejected', 'OrderException');
    const b = scriptedBroker([{ fail: reset() }, { fail: rejected }]);
    const l = memoryLedger();
    await expect(placeOrderOnce(b.broker, l.ledger, input, noWait)).rejects.toBe(rejected);
    expect(l.events).toEqual([`record ${TAG} s5`, `failed ${TAG} BROKER_ORDER`]);
  });

  it('sends nothing when the intent cannot be recorded', async () => {
    const b = scriptedBroker([{ ok: '1' }]);
    const ledger: IntentLedger = {
      ...memoryLedger().ledger,
      record: async () => Promise.reject(new Error('disk full')),
    };
    await expect(placeOrderOnce(b.broker, ledger, input, noWait)).rejects.toThrow('disk full');
    expect(b.sent).toHaveLength(0);
  });

  it("refuses a request without som's tag for that strategy", async () => {
    const b = scriptedBroker([{ ok: '1' }]);
    const l = memoryLedger();
    const { tag: _t, ...untagged } = request;
    await expect(
      placeOrderOnce(b.broker, l.ledger, { strategyId: 5, request: untagged as PlaceOrderRequest }, noWait),
    ).rejects.toBeInstanceOf(SomError);
    await expect(placeOrderOnce(b.broker, l.ledger, { strategyId: 6, request }, noWait)).rejects.toThrow(
      /not a som tag of strategy 6/,
    );
    expect(b.sent).toHaveLength(0);
    expect(l.events).toEqual([]);
  });
});

describe('placeOrderOnce with a deadline', () => {
  /** A monotonic clock the test moves: look-up pauses advance it instead of waiting. */
  function fakeTime() {
    let now = 0;
    return {
      elapsedMs: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
  }

  it('a send still unanswered at the deadline: unknown, naming the tag, nothing sent again', async () => {
    const sent: Promise<unknown>[] = [];
    const broker = {
      placeOrder: () => new Promise(() => undefined), // the answer never comes
      orders: async () => [],
    } as unknown as Broker;
    const l = memoryLedger();
    const err = await placeOrderOnce(broker, l.ledger, input, { deadlineMs: 20, track: (p) => sent.push(p) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrderFateUnknown);
    expect((err as OrderFateUnknown).tag).toBe(TAG);
    expect((err as OrderFateUnknown).message).toContain(`look for tag ${TAG}`);
    expect((err as OrderFateUnknown).message).toContain('som will not send it again');
    // the caller's error data names the tag and the fate, for a script to act on
    expect((err as OrderFateUnknown).toValue()).toMatchObject({
      code: 'BROKER_UNAVAILABLE',
      data: { kind: 'timeout', tag: TAG, fate: 'unknown' },
    });
    expect(l.events).toEqual([`record ${TAG} s5`, `unknown ${TAG} ORDER_FATE_UNKNOWN`]);
    // the send left behind is handed to the caller, which keeps the intent open while it lasts
    expect(sent).toHaveLength(1);
  });

  it('look-ups stop at the deadline: unknown, and never a resend without a look at the book', async () => {
    const t = fakeTime();
    // the answer is lost; the order book is slow to answer
    const b = scriptedBroker([{ fail: reset() }]);
    const slowBook = { ...b.broker, orders: () => new Promise(() => undefined) } as unknown as Broker;
    const l = memoryLedger();
    const err = await placeOrderOnce(slowBook, l.ledger, input, {
      ...t,
      lookupDelayMs: 300,
      lookups: 5,
      deadlineMs: 320, // one pause of 300 ms, then 20 ms for the book
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderFateUnknown);
    expect((err as OrderFateUnknown).why).toContain('the order book could not be read');
    expect(b.sent).toHaveLength(1);
    expect(l.events).toEqual([`record ${TAG} s5`, `unknown ${TAG} ORDER_FATE_UNKNOWN`]);
  });

  it('read and absent, but too little time left for a resend to be answered: not placed, not resent', async () => {
    const t = fakeTime();
    const b = scriptedBroker([{ fail: reset() }]);
    const l = memoryLedger();
    // after one look (300 ms) 700 ms are left, less than one send may take (800 ms)
    const err = await placeOrderOnce(b.broker, l.ledger, input, {
      ...t,
      lookupDelayMs: 300,
      lookups: 1,
      deadlineMs: 1_000,
      sendTimeoutMs: 800,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect(err).not.toBeInstanceOf(OrderFateUnknown);
    expect((err as BrokerError).message).toContain(`the order tagged ${TAG} was not placed`);
    expect((err as BrokerError).toValue().data).toMatchObject({ tag: TAG, fate: 'not_sent' });
    expect(b.sent).toHaveLength(1);
    expect(l.events).toEqual([`record ${TAG} s5`, `failed ${TAG} NOT_SENT`]);
  });

  it('with time enough, the resend goes out as before', async () => {
    const t = fakeTime();
    const b = scriptedBroker([{ fail: reset() }, { ok: '3003' }]);
    const l = memoryLedger();
    expect(
      await placeOrderOnce(b.broker, l.ledger, input, {
        ...t,
        lookupDelayMs: 300,
        lookups: 1,
        deadlineMs: 40_000,
        sendTimeoutMs: 7_000,
      }),
    ).toEqual({ orderId: '3003', recovered: false });
    expect(b.sent).toHaveLength(2);
  });
});

describe('a failed intent that may be sent again under its tag', () => {
  it('is one refused for the session, the rate limit or the broker, or never sent; never one refused for itself', () => {
    const code = (kind: BrokerError['kind']) => intentErrorCode(new BrokerError(kind, 'x'));
    for (const kind of ['token', 'rate_limit', 'network', 'timeout'] as const)
      expect(isResendableFailure(code(kind))).toBe(true);
    expect(isResendableFailure('NOT_SENT')).toBe(true);
    for (const kind of ['input', 'order', 'margin', 'holding', 'permission', 'data', 'general'] as const) {
      expect(isResendableFailure(code(kind)), kind).toBe(false);
    }
  });
});
