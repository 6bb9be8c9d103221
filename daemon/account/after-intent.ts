import type { IntentLedger } from '../../src/broker/order-placement.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';

/**
 * The ledger of an order sent while its intent is still being written (`intentWritten`): each
 * fate waits for that write, and when it failed records the intent first, so a fate is never
 * written to a tag the store does not hold.
 */
export function afterIntent(
  ledger: IntentLedger,
  intentWritten: Promise<unknown>,
  intent: { tag: string; strategyId: number; request: PlaceOrderRequest },
  answered: () => void = () => undefined,
): IntentLedger {
  let ready: Promise<void> | null = null;
  const written = (): Promise<void> => {
    answered();
    ready ??= intentWritten.then(
      () => undefined,
      () => ledger.record(intent),
    );
    return ready;
  };
  return {
    record: (i) => ledger.record(i),
    placed: async (tag, orderId) => {
      await written();
      await ledger.placed(tag, orderId);
    },
    failed: async (tag, error) => {
      await written();
      await ledger.failed(tag, error);
    },
    unknown: async (tag, error) => {
      await written();
      await ledger.unknown(tag, error);
    },
  };
}
