import type { Broker, BrokerGtt } from '../../src/broker/broker.js';
import { isAlreadyClosed } from '../../src/broker/errors.js';
import type { CleanupResult } from '../../src/housekeeping/outcomes.js';
import type { HkGttLeg, OrphanCorrection } from '../../src/housekeeping/types.js';
import { SomError } from '../../src/protocol/errors.js';
import type { Store } from '../../src/store/database.js';
import { getGttBrokerJson } from '../../src/store/housekeeping.js';

/** A cancel or reduce the broker accepted is not sent again for this long while its update is on the way. */
export const RESEND_AFTER_MS = 10_000;

export interface CancelServiceDeps {
  store: Store;
  broker: Broker;
  /** Why the broker cannot be asked now (no session, link unhealthy), or null. */
  brokerBlocked(): string | null;
  /** Wall milliseconds (a send's age is judged on it); Date.now unless a test injects one. */
  wall?: () => number;
}

/** What to correct: an order (its variety, its parent for an iceberg leg), or a GTT leg. */
export interface CorrectionTarget {
  order_id: string;
  variety: string;
  parent_order_id?: string | null;
  gtt?: HkGttLeg | null;
}

/** How a correction went: the broker's answer, or why nothing was sent this time. */
export type CorrectionOutcome =
  | CleanupResult
  /** The same order's correction is on its way now. */
  | { kind: 'in-flight' }
  /** The broker accepted this very correction a moment ago; its update is on the way. */
  | { kind: 'awaiting' };

/**
 * The one path by which som cancels or reduces a working order or GTT it did not just place:
 * the housekeeper's orphan cleanup and the square-off engine both send through here, so the
 * two never send the same correction twice. A correction already in flight, or accepted by
 * the broker less than {@link RESEND_AFTER_MS} ago, is not sent again; different orders go
 * together (the broker's rate limiter paces them).
 */
export class CancelService {
  readonly #d: CancelServiceDeps;
  readonly #inFlight = new Set<string>();
  /** Corrections the broker accepted, by target and action, with the wall time they were sent. */
  readonly #sent = new Map<string, number>();
  readonly #wall: () => number;

  constructor(deps: CancelServiceDeps) {
    this.#d = deps;
    this.#wall = deps.wall ?? Date.now;
  }

  /** Cancel (or reduce) the order or GTT, unless the same is already on its way. */
  async correct(target: CorrectionTarget, correction: OrphanCorrection): Promise<CorrectionOutcome> {
    const key = targetKey(target);
    const sendKey = `${key}:${actionOf(correction)}`;
    if (this.#inFlight.has(key)) return { kind: 'in-flight' };
    const sentAt = this.#sent.get(sendKey);
    if (sentAt !== undefined && this.#wall() - sentAt < RESEND_AFTER_MS) return { kind: 'awaiting' };
    const result = await this.#send(target, correction);
    if (result.kind === 'done') {
      this.#sent.set(sendKey, this.#wall());
      if (this.#sent.size > 10_000) this.#sent.clear();
    }
    return result;
  }

  /** A cancel of this order is on its way, or was accepted a moment ago and its update has not come yet. */
  isCancelling(orderId: string): boolean {
    if (this.#inFlight.has(orderId)) return true;
    const sentAt = this.#sent.get(`${orderId}:cancel`);
    return sentAt !== undefined && this.#wall() - sentAt < RESEND_AFTER_MS;
  }

  /** Forget a correction sent, so that it may be sent again at once (its order came back to life). */
  forget(orderId: string): void {
    for (const key of [...this.#sent.keys()]) if (key.startsWith(`${orderId}:`)) this.#sent.delete(key);
  }

  async #send(target: CorrectionTarget, correction: OrphanCorrection): Promise<CleanupResult> {
    const blocked = this.#d.brokerBlocked();
    if (blocked) return { kind: 'failed', correction, message: `the broker cannot be asked now: ${blocked}` };
    const key = targetKey(target);
    this.#inFlight.add(key);
    try {
      const broker = this.#d.broker;
      if (target.gtt) {
        if (correction.kind === 'cancel') await broker.deleteGtt(target.gtt.id);
        else await broker.modifyGtt(target.gtt.id, await this.#gttWithQuantity(target.gtt.id, correction.quantity));
      } else if (correction.kind === 'cancel') {
        await broker.cancelOrder(target.variety, target.order_id, target.parent_order_id ?? undefined);
      } else {
        await broker.modifyOrder(target.variety, target.order_id, { quantity: correction.quantity });
      }
      return { kind: 'done', correction };
    } catch (err) {
      if (isAlreadyClosed(err)) return { kind: 'already-closed', message: (err as Error).message };
      return { kind: 'failed', correction, message: (err as Error).message };
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #gttWithQuantity(gttId: number, quantity: number) {
    const gtt = (await getGttBrokerJson(this.#d.store.db, gttId)) as BrokerGtt | null;
    if (!gtt) throw new SomError('NOT_FOUND', `GTT ${gttId} is not known to som`);
    return { ...gtt, orders: gtt.orders.map((o) => ({ ...o, quantity })) };
  }
}

function targetKey(target: CorrectionTarget): string {
  return target.gtt ? `gtt:${target.gtt.id}` : target.order_id;
}

function actionOf(c: OrphanCorrection): string {
  return c.kind === 'cancel' ? 'cancel' : `reduce to ${c.quantity}`;
}
