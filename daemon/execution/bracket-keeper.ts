import { newOrderTag } from '../../src/broker/order-tag.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import { isExchange, isProduct } from '../../src/domain/values.js';
import { type BracketStep, bracketLegRequests, planBracket, type TaggedOrder } from '../../src/execution/bracket.js';
import type { Clock } from '../../src/market/clock.js';
import {
  addBracketPair,
  alertBracketPair,
  closeBracket,
  linkBracketPair,
  loadOpenBrackets,
  type OpenBracket,
  setPairQuantity,
} from '../../src/store/brackets.js';
import type { Store } from '../../src/store/database.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { PlaceOptions } from '../account/order-desk.js';
import type { Logger } from '../logger.js';

export interface BracketKeeperDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /**
   * The order desk: every leg is an intent with its tag before it is sent. A leg protects a
   * fill, so it goes as an exit (`exit: true`): the risk gate never refuses it, even while a
   * halted strategy's book has not yet seen the fill it closes.
   */
  place(strategyId: number, request: Omit<PlaceOrderRequest, 'tag'>, options: PlaceOptions): Promise<unknown>;
  modify(orderId: string, changes: { quantity: number }, options: { exit: true }): Promise<void>;
  /** A pair was linked: the housekeeper applies the OCO rules to the instrument now (a leg may have filled already). */
  linked(scope: { exchange: string; tradingsymbol: string }): void;
}

/**
 * Carries out brackets: as a `som trade --stop --target` entry fills, an OCO stop (SL-M) and
 * target (LIMIT) for the filled quantity are placed, or the last pair grown, through the order
 * desk and the OCO machinery, whose rules then protect them like any pair. Each run loads the
 * open brackets through src/store, plans each with one pure function (`planBracket`), and writes
 * every decision before acting on it (a pair's tags before its legs are sent, a pair's new
 * quantity before its legs are modified), so a restart in the middle neither leaves a fill
 * unprotected nor protects it twice. Runs one at a time; a run asked for while one waits is
 * the same run.
 */
export class BracketKeeper {
  readonly #d: BracketKeeperDeps;
  readonly #queue = new SerialQueue();
  /** Tags this process is sending right now (an entry or a leg): waited for, never sent again. */
  readonly #sending = new Set<string>();
  #queued = false;

  constructor(deps: BracketKeeperDeps) {
    this.#d = deps;
  }

  /** Mark a tag being sent by this process (an entry), until `done`. */
  sending(tag: string): { done(): void } {
    this.#sending.add(tag);
    return { done: () => this.#sending.delete(tag) };
  }

  /** Look at every open bracket soon (an order changed; the periodic check). Never rejects. */
  kick(): void {
    if (this.#queued) return;
    this.#queued = true;
    this.#queue
      .run(async () => {
        this.#queued = false;
        await this.#runAll();
      })
      .catch((err) => this.#d.logger.warn('bracket.run_failed', { error: (err as Error).message }));
  }

  /** Resolves once no run is queued or running. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async #runAll(): Promise<void> {
    for (const b of await loadOpenBrackets(this.#d.store.db)) {
      const facts = b.facts;
      const mark = (t: TaggedOrder): TaggedOrder => ({ ...t, in_flight: this.#sending.has(t.tag) });
      const steps = planBracket({
        ...facts,
        entry: mark(facts.entry),
        pairs: facts.pairs.map((p) => ({ ...p, stop: mark(p.stop), target: mark(p.target) })),
      });
      for (const step of steps) {
        try {
          await this.#carryOut(b, step);
        } catch (err) {
          // The next run plans again from what is stored and what the broker reports.
          this.#d.logger.warn('bracket.step_failed', { bracket: b.id, step: step.kind, error: (err as Error).message });
        }
      }
    }
  }

  async #carryOut(b: OpenBracket, step: BracketStep): Promise<void> {
    const now = this.#d.clock.now();
    const db = this.#d.store.db;
    switch (step.kind) {
      case 'wait':
        return;
      case 'settle':
      case 'grow':
        await setPairQuantity(
          db,
          {
            pairId: step.pair_id,
            bracketId: b.id,
            strategyId: b.strategy_id,
            quantity: step.quantity,
            grew: step.kind === 'grow',
            why: step.kind === 'grow' ? `the entry filled more: the pair grows to ${step.quantity}` : step.why,
          },
          now,
        );
        return;
      case 'modify':
        await this.#d.modify(step.order_id, { quantity: step.quantity }, { exit: true });
        return;
      case 'send':
        await this.#send(b, step.leg, step.tag, step.quantity);
        return;
      case 'place': {
        const stopTag = newOrderTag(b.strategy_id);
        const targetTag = newOrderTag(b.strategy_id);
        const pairId = await addBracketPair(
          db,
          { bracketId: b.id, strategyId: b.strategy_id, quantity: step.quantity, stopTag, targetTag },
          now,
        );
        this.#d.logger.info('bracket.pair', { bracket: b.id, pair: pairId, quantity: step.quantity });
        // The stop first: it is the protection; the target only takes profit.
        await this.#send(b, 'stop', stopTag, step.quantity);
        await this.#send(b, 'target', targetTag, step.quantity);
        return;
      }
      case 'link':
        await linkBracketPair(
          db,
          { pairId: step.pair_id, strategyId: b.strategy_id, stop: step.stop_order_id, target: step.target_order_id },
          now,
        );
        this.#d.linked({ exchange: b.exchange, tradingsymbol: b.tradingsymbol });
        return;
      case 'alert':
        await alertBracketPair(
          db,
          {
            pairId: step.pair_id,
            bracketId: b.id,
            strategyId: b.strategy_id,
            title: `Bracket ${b.id}: ${step.quantity} of ${b.exchange}:${b.tradingsymbol} not protected`,
            message: `${step.why}, so ${step.quantity} of the filled entry has no OCO stop and target from som. Protect it yourself (som oco protect ${b.exchange}:${b.tradingsymbol} --stop T --target P --product ${b.product} --qty ${step.quantity}) or exit it.`,
          },
          now,
        );
        return;
      case 'close':
        await closeBracket(db, { id: b.id, strategyId: b.strategy_id, reason: step.reason }, now);
        this.#d.logger.info('bracket.closed', { bracket: b.id, reason: step.reason });
        return;
    }
  }

  /** Send one leg under its stored tag. */
  async #send(b: OpenBracket, leg: 'stop' | 'target', tag: string, quantity: number): Promise<void> {
    if (!isExchange(b.exchange) || !isProduct(b.product)) {
      throw new Error(`bracket ${b.id}: ${b.exchange} ${b.product} is not an exchange and product som can place on`);
    }
    const legs = bracketLegRequests(
      { exchange: b.exchange, tradingsymbol: b.tradingsymbol, product: b.product, side: b.facts.side },
      b,
      quantity,
    );
    const request = leg === 'stop' ? legs.stop : legs.target;
    const sending = this.sending(tag);
    try {
      await this.#d.place(b.strategy_id, request, { tag, exit: true });
    } finally {
      sending.done();
    }
  }
}
