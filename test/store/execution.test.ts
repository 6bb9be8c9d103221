import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/domain/strategy-settings.js';
import { analyzeExecution, type ExecutionAnalysis } from '../../src/execution/analyze.js';
import type { TradeSpec } from '../../src/execution/trade.js';
import { listAlerts, raiseAlert } from '../../src/store/alerts.js';
import { listAudit } from '../../src/store/audit.js';
import { addBracketPair, createBracket, linkBracketPair, loadOpenBrackets } from '../../src/store/brackets.js';
import { openStore, type Store } from '../../src/store/database.js';
import { getAnalyses, insertAnalysis, linkAnalysis, loadQuality } from '../../src/store/execution-analysis.js';
import { askAgain, expireHeld, heldByAlert, holdTrade, settleHeld } from '../../src/store/held-orders.js';
import { createIntentLedger } from '../../src/store/intents.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations/index.js';
import { orderViews } from '../../src/store/order-views.js';
import { getOrder, upsertOrder } from '../../src/store/orders.js';
import { ensureDefaultStrategy } from '../../src/store/strategies.js';
import { ladder, snap } from '../execution/books.js';
import { order } from '../support/broker-order.js';

const AT = new Date('2026-11-25T04:30:00.000Z');
const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);
const SETTINGS = PROFILES.default;

/** 99.80 / 100.20, 1,500 a level, for BUY 750: EXECUTE_LIMIT at 100.20. */
function analysis(): ExecutionAnalysis {
  const a = analyzeExecution({
    snapshot: snap(ladder(99.8, -1, 1500), ladder(100.2, 1, 1500), { oi: 5_000_000 }),
    side: 'BUY',
    quantity: 750,
    settings: SETTINGS,
  });
  if ('code' in a) throw new Error(a.message);
  return a;
}

const TRADE: TradeSpec = {
  strategy_id: 1,
  legs: [
    {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY26DEC24000CE',
      side: 'BUY',
      quantity: 750,
      product: 'NRML',
      type: 'auto',
      price: null,
      exit_price: null,
    },
  ],
  bracket: null,
};

describe('migration 7', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renames alerts to user_alerts, keeping every alert and the rule against two open ones about the same thing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-mig7-'));
    const path = join(dir, 'som.db');
    const raw = new BetterSqlite3(path);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    for (const m of MIGRATIONS.filter((x) => x.version <= 6)) {
      await db.transaction().execute(async (trx) => {
        await m.up(trx);
        await sql.raw(`pragma user_version = ${m.version}`).execute(trx);
      });
    }
    raw
      .prepare(
        "insert into alerts (at, type, priority, title, message, dedupe_key) values ('2026-11-24T04:00:00.000Z', 'LOGIN_REQUIRED', 'high', 't', 'm', 'session')",
      )
      .run();
    await db.destroy();

    const store = await openStore(path);
    try {
      expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect((await listAlerts(store.db)).map((a) => a.type)).toEqual(['LOGIN_REQUIRED']);
      const again = await raiseAlert(
        store.db,
        { type: 'LOGIN_REQUIRED', priority: 'high', title: 't', message: 'm', dedupeKey: 'session' },
        AT,
      );
      expect(again.created).toBe(false);
      const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(store.db);
      expect(tables.rows.map((r) => r.name)).toContain('user_alerts');
      expect(tables.rows.map((r) => r.name)).not.toContain('alerts');
    } finally {
      await store.close();
    }
  });
});

describe('smart execution in the store', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-exec-'));
    store = await openStore(join(dir, 'som.db'));
    await ensureDefaultStrategy(store.db, AT);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an analysis is stored with the depth it used, and linked both ways to the order its tag became', async () => {
    const a = analysis();
    const id = await insertAnalysis(
      store.db,
      {
        purpose: 'trade',
        strategyId: 1,
        tag: 'so1xabc',
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        side: 'BUY',
        quantity: 750,
        settings: SETTINGS,
        result: a,
      },
      AT,
    );
    const [stored] = await getAnalyses(store.db, [id]);
    expect(stored!.analysis).toEqual(a);
    expect(stored!.analysis!.depth.sell[0]).toEqual({ price: 100.2, quantity: 1500, orders: 1 });
    await upsertOrder(store.db, {
      order: order({ order_id: 'O1', tag: 'so1xabc' }),
      strategyId: 1,
      source: 'som',
      now: AT,
    });
    expect(await linkAnalysis(store.db, 'so1xabc', 'O1')).toBe(id);
    expect((await getOrder(store.db, 'O1'))!.pre_execution_analysis_id).toBe(id);
    // Linked once: a later update of the order changes nothing.
    expect(await linkAnalysis(store.db, 'so1xabc', 'O1')).toBeNull();
    const { inputs } = await loadQuality(store.db, { since: AT.toISOString() });
    expect(inputs).toEqual([
      expect.objectContaining({ analysis_id: id, decision: 'EXECUTE_LIMIT', arrival_mid: 100, predicted_vwap: 100.2 }),
    ]);
  });

  it('a refusal is stored with its reason and no figures', async () => {
    const id = await insertAnalysis(
      store.db,
      {
        purpose: 'place',
        strategyId: 1,
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        side: 'SELL',
        quantity: 10,
        settings: SETTINGS,
        result: { code: 'BOOK_CROSSED', message: 'the best bid 100.1 is at or above the best ask 100' },
      },
      AT,
    );
    expect((await getAnalyses(store.db, [id]))[0]).toMatchObject({ analysis: null, error: { code: 'BOOK_CROSSED' } });
  });

  describe('a held order', () => {
    async function hold() {
      return holdTrade(
        store.db,
        {
          trade: TRADE,
          decision: 'REQUIRE_APPROVAL',
          analysisIds: [7],
          expiresAt: later(120),
          alert: { title: 'Order held', message: 'why', payload: { decision: 'REQUIRE_APPROVAL' } },
        },
        AT,
      );
    }

    it('is an alert with the choices and the deadline, audited', async () => {
      const { held, alert } = await hold();
      expect(alert).toMatchObject({
        type: 'ORDER_HELD',
        priority: 'high',
        payload: {
          held_order_id: held.id,
          expires_at: '2026-11-25T04:32:00.000Z',
          choices: ['cancel', 'limit', 'proceed'],
        },
      });
      expect(held).toMatchObject({ state: 'held', alert_id: alert.id, trade: TRADE, analysis_ids: [7] });
      expect((await listAudit(store.db, { type: 'ORDER_HELD', limit: 5 }))[0]!.payload).toMatchObject({
        held_order_id: held.id,
      });
    });

    it('an answer is recorded with how long it took, and settles it once', async () => {
      const { held, alert } = await hold();
      const answer = {
        held,
        choice: 'cancel' as const,
        responseMs: 42_000,
        outcome: 'cancelled by the user',
        state: 'cancelled' as const,
      };
      expect(await settleHeld(store.db, answer, later(42))).toBe(true);
      expect(await settleHeld(store.db, answer, later(43))).toBe(false);
      const found = await heldByAlert(store.db, alert.id);
      expect(found!.held).toMatchObject({ state: 'cancelled', outcome: 'cancelled by the user' });
      expect((await listAlerts(store.db, { openOnly: true })).length).toBe(0);
      const { held: report } = await loadQuality(store.db, { since: AT.toISOString() });
      expect(report).toEqual([{ state: 'cancelled', first_response_ms: 42_000 }]);
    });

    it('asked again: the old question resolved, a new alert with a new deadline, the earlier alert still names it', async () => {
      const { held, alert } = await hold();
      const again = await askAgain(
        store.db,
        {
          held,
          choice: 'limit',
          responseMs: 30_000,
          outcome: 'asked again: the market got worse',
          decision: 'REQUIRE_APPROVAL',
          analysisIds: [9],
          expiresAt: later(150),
          alert: { title: 'Order held again', message: 'worse', payload: {} },
        },
        later(30),
      );
      expect(again!.alert.id).not.toBe(alert.id);
      expect(again!.held).toMatchObject({
        alert_id: again!.alert.id,
        times_asked: 2,
        analysis_ids: [9],
        state: 'held',
      });
      const open = await listAlerts(store.db, { openOnly: true });
      expect(open.map((a) => a.id)).toEqual([again!.alert.id]);
      expect(await heldByAlert(store.db, alert.id)).toMatchObject({ current: false, held: { id: held.id } });
    });

    it('expires at its deadline, never before, and is then cancelled, never sent', async () => {
      const { held } = await hold();
      expect(await expireHeld(store.db, later(119))).toEqual([]);
      expect((await expireHeld(store.db, later(120))).map((h) => h.id)).toEqual([held.id]);
      expect(
        await settleHeld(store.db, { held, choice: 'proceed', responseMs: 1, outcome: 'x', state: 'sent' }, later(121)),
      ).toBe(false);
      expect((await heldByAlert(store.db, held.alert_id!))!.held.state).toBe('expired');
      expect((await listAudit(store.db, { type: 'ORDER_HELD_EXPIRED', limit: 5 })).length).toBe(1);
    });
  });

  it('an open bracket comes back with each tag’s intent and order, so a restart plans from the book', async () => {
    const ledger = createIntentLedger(store.db, { now: () => AT });
    const request = {
      variety: 'regular' as const,
      exchange: 'NSE' as const,
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY' as const,
      order_type: 'MARKET' as const,
      product: 'MIS' as const,
      quantity: 100,
      validity: 'DAY' as const,
    };
    const id = await createBracket(
      store.db,
      {
        strategyId: 1,
        entryTag: 'entry1',
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'MIS',
        side: 'BUY',
        quantity: 100,
        stop: 790,
        target: 830,
      },
      AT,
    );
    await ledger.record({ tag: 'entry1', strategyId: 1, request });
    await ledger.placed('entry1', 'E1');
    await upsertOrder(store.db, {
      order: order({
        order_id: 'E1',
        tag: 'entry1',
        status: 'OPEN',
        quantity: 100,
        filled_quantity: 40,
        pending_quantity: 60,
      }),
      strategyId: 1,
      source: 'som',
      now: AT,
    });
    const pair = await addBracketPair(
      store.db,
      { bracketId: id, strategyId: 1, quantity: 40, stopTag: 'stop1', targetTag: 'target1' },
      AT,
    );
    await ledger.record({
      tag: 'stop1',
      strategyId: 1,
      request: { ...request, transaction_type: 'SELL', order_type: 'SL-M', trigger_price: 790 },
    });
    const [open] = await loadOpenBrackets(store.db);
    expect(open!.facts).toEqual({
      id,
      side: 'BUY',
      entry: {
        tag: 'entry1',
        intent: 'placed',
        in_flight: false,
        order: { order_id: 'E1', status: 'OPEN', quantity: 100, filled_quantity: 40, pending_quantity: 60 },
        error: null,
        resendable: false,
      },
      pairs: [
        {
          id: pair,
          quantity: 40,
          stop: { tag: 'stop1', intent: 'pending', in_flight: false, order: null, error: null, resendable: false },
          target: { tag: 'target1', intent: null, in_flight: false, order: null, error: null, resendable: false },
          oco_group_id: null,
          grows: 0,
          alerted: false,
        },
      ],
    });
    // Refused for the session (a login replaced the token while it was out): sent again, not given up.
    await ledger.failed('stop1', { code: 'BROKER_TOKEN', message: 'Incorrect `api_key` or `access_token`.' });
    const stopOf = async () => (await loadOpenBrackets(store.db))[0]!.facts.pairs[0]!.stop;
    expect(await stopOf()).toMatchObject({ intent: 'failed', resendable: true });
    await ledger.record({
      tag: 'stop1',
      strategyId: 1,
      request: { ...request, transaction_type: 'SELL', order_type: 'SL-M', trigger_price: 790 },
    });
    expect(await stopOf()).toMatchObject({ intent: 'pending', resendable: false });
    await upsertOrder(store.db, {
      order: order({
        order_id: 'S1',
        tag: 'stop1',
        transaction_type: 'SELL',
        order_type: 'SL-M',
        quantity: 40,
        pending_quantity: 40,
      }),
      strategyId: 1,
      source: 'som',
      now: AT,
    });
    await upsertOrder(store.db, {
      order: order({ order_id: 'T1', tag: 'target1', transaction_type: 'SELL', quantity: 40, pending_quantity: 40 }),
      strategyId: 1,
      source: 'som',
      now: AT,
    });
    const group = await linkBracketPair(store.db, { pairId: pair, strategyId: 1, stop: 'S1', target: 'T1' }, AT);
    const legs = await orderViews(store.db, { orderIds: ['S1', 'T1'], limit: 2 });
    expect(legs.map((o) => [o.order_id, o.role, o.oco_group_id]).sort()).toEqual([
      ['S1', 'stop', group],
      ['T1', 'target', group],
    ]);
    expect((await loadOpenBrackets(store.db))[0]!.facts.pairs[0]!.oco_group_id).toBe(group);
  });
});
