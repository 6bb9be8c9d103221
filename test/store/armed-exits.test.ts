import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { loadArmedExits, settleArmedExits, writeArms } from '../../src/store/armed-exits.js';
import { listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { getIntent } from '../../src/store/intents.js';
import { upsertOrder } from '../../src/store/orders.js';
import { loadRunPosition, recordExitIntents, runningSquareOffs } from '../../src/store/square-off.js';
import { createStrategy } from '../../src/store/strategies.js';
import { order } from '../support/broker-order.js';

const AT = istInstant('2026-11-25', '11:00');
const SBIN = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };
const ITC = { exchange: 'NSE', tradingsymbol: 'ITC', product: 'MIS' };

describe('armed exits', () => {
  let dir: string;
  let store: Store;
  let id: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-armed-'));
    store = await openStore(join(dir, 'som.db'));
    id = (await createStrategy(store.db, 'nifty', 'conservative', AT)).id;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const arm = (tag: string, where = SBIN) => ({ tag, strategy_id: id, ...where, armed_at: AT.toISOString() });

  it('are kept on disk, one per position, armed and disarmed in one transaction', async () => {
    await writeArms(store.db, [arm(`so${id}xaaaaaaaaaaaaaaaa`), arm(`so${id}xbbbbbbbbbbbbbbbb`, ITC)], []);
    expect((await loadArmedExits(store.db)).map((a) => a.tradingsymbol).sort()).toEqual(['ITC', 'SBIN']);
    // A second tag for an armed position is refused, and the transaction's disarm with it.
    await expect(writeArms(store.db, [arm(`so${id}xcccccccccccccccc`)], [`so${id}xbbbbbbbbbbbbbbbb`])).rejects.toThrow(
      /UNIQUE/,
    );
    expect(await loadArmedExits(store.db)).toHaveLength(2);
    await writeArms(store.db, [], [`so${id}xbbbbbbbbbbbbbbbb`]);
    expect((await loadArmedExits(store.db)).map((a) => a.tag)).toEqual([`so${id}xaaaaaaaaaaaaaaaa`]);
  });

  it('an armed exit recorded as a run exit is armed no more, in the same transaction', async () => {
    const tag = `so${id}xaaaaaaaaaaaaaaaa`;
    await writeArms(store.db, [arm(tag)], []);
    const [run] = await settleAndRun();
    await recordExitIntents(
      store.db,
      run!,
      [
        {
          tag,
          ...SBIN,
          transaction_type: 'SELL',
          order_type: 'MARKET',
          quantity: 10,
          price: null,
          request: null,
          armed: true,
        },
      ],
      AT,
    );
    expect(await loadArmedExits(store.db)).toEqual([]);
    expect((await loadRunPosition(store.db, run!, SBIN)).exits.map((e) => e.tag)).toEqual([tag]);
  });

  /** A running square-off of the strategy, as a breach opens it (an armed tag of its own found sent). */
  async function settleAndRun() {
    const sent = `so${id}xzzzzzzzzzzzzzzzz`;
    await writeArms(store.db, [arm(sent, ITC)], []);
    await upsertOrder(store.db, {
      order: order({
        order_id: '251125000000009',
        tag: sent,
        tags: [sent],
        tradingsymbol: 'ITC',
        product: 'MIS',
        transaction_type: 'SELL',
        quantity: 5,
      }),
      strategyId: id,
      source: 'som',
      now: AT,
    });
    await settleArmedExits(store.db, { escalate_at: new Date(AT.getTime() + 10_000), skip: new Set() }, AT);
    return runningSquareOffs(store.db);
  }

  it('after a restart: a tag the broker lists is adopted into a loss-limit square-off, one it does not is dropped', async () => {
    const sent = `so${id}xaaaaaaaaaaaaaaaa`;
    const never = `so${id}xbbbbbbbbbbbbbbbb`;
    const inFlight = `so${id}xcccccccccccccccc`;
    await writeArms(
      store.db,
      [arm(sent), arm(never, ITC), arm(inFlight, { exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS' })],
      [],
    );
    await upsertOrder(store.db, {
      order: order({
        order_id: '251125000000007',
        tag: sent,
        tags: [sent],
        tradingsymbol: 'SBIN',
        product: 'MIS',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        price: 801.5,
        quantity: 10,
        status: 'OPEN',
        pending_quantity: 10,
        filled_quantity: 0,
      }),
      strategyId: id,
      source: 'som',
      now: AT,
    });
    const settled = await settleArmedExits(
      store.db,
      { escalate_at: new Date(AT.getTime() + 10_000), skip: new Set([inFlight]) },
      AT,
    );
    expect(settled.dropped).toEqual([never]);
    expect(settled.adopted).toEqual([
      { tag: sent, order_id: '251125000000007', run_id: expect.any(Number), strategy_id: id },
    ]);
    // Only the tag a send of this process is still working on stays armed.
    expect((await loadArmedExits(store.db)).map((a) => a.tag)).toEqual([inFlight]);

    const [run] = await runningSquareOffs(store.db);
    expect(run).toMatchObject({ id: settled.adopted[0]!.run_id, strategy_id: id, cause: 'loss_limit' });
    // The run's planning sees the order as its own exit, covering the position, not as another order to cancel.
    const position = await loadRunPosition(store.db, run!, SBIN);
    expect(position.exits).toMatchObject([{ tag: sent, state: 'sent', order_id: '251125000000007', quantity: 10 }]);
    expect(position.others).toEqual([]);
    expect(await getIntent(store.db, sent)).toMatchObject({ state: 'placed', order_id: '251125000000007' });
    const audit = await listAudit(store.db, { limit: 50 });
    const types = audit.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['SQUARE_OFF_STARTED', 'ORDER_CREATED', 'ORDER_RECOVERED', 'SQUARE_OFF_EXIT']),
    );
    expect(audit.find((e) => e.type === 'SQUARE_OFF_EXIT')?.payload).toMatchObject({ action: 'adopted', tag: sent });
  });
});
