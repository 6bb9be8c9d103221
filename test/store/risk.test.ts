import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/strategy-settings.js';
import { istInstant } from '../../src/market/ist.js';
import { assessRisk } from '../../src/risk/assess.js';
import { exitOrderRequest } from '../../src/risk/square-off.js';
import { initialRiskState } from '../../src/risk/trading-state.js';
import { listAlerts } from '../../src/store/alerts.js';
import { listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { listHousekeepingEvents } from '../../src/store/housekeeping.js';
import { getIntent } from '../../src/store/intents.js';
import {
  loadRiskStates,
  openSquareOff,
  recentBreaches,
  writeRiskActions,
  writeRiskRecord,
} from '../../src/store/risk.js';
import {
  getSquareOff,
  loadRunPosition,
  markUnsentExits,
  recordExitIntents,
  runningSquareOffs,
} from '../../src/store/square-off.js';
import { createStrategy, findStrategy } from '../../src/store/strategies.js';

const DAY = '2026-11-25';
const AT = istInstant(DAY, '11:00');

describe('the risk store', () => {
  let dir: string;
  let store: Store;
  let id: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-risk-'));
    store = await openStore(join(dir, 'som.db'));
    id = (await createStrategy(store.db, 'nifty', 'conservative', AT)).id;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The rules' decisions for the strategy at a loss of `loss` against its 1,000 limit, auto square-off on. */
  const lossOf = (loss: number) =>
    assessRisk({
      strategies: [
        {
          strategy_id: id,
          name: 'nifty',
          state: initialRiskState(DAY, AT),
          previous: [],
          auto_square_off_on_loss_limit: true,
          facts: {
            settings: { ...DEFAULT_SETTINGS, max_loss_per_strategy_abs: 1000 },
            pnl: -loss,
            margin_basis: 0,
            positions: [],
            orders_last_minute: 0,
            margin_utilization_pct: null,
          },
        },
      ],
      account: null,
      warn_pct: 80,
      trading_day: DAY,
      now: AT,
    });

  it('a breach: everything it writes (state, alert, square-off, breach, audit, log) before any exit; then the record', async () => {
    const decisions = lossOf(1500);
    const escalateAt = new Date(AT.getTime() + 10_000);
    const runs = await writeRiskActions(store.db, decisions, { trading_day: DAY, escalate_at: escalateAt }, AT);
    const runId = runs.get(id)!;
    // Before any exit is sent, and so kept if somd dies now: new orders stopped, the alert
    // raised, the square-off open, the breach recorded and audited.
    expect((await findStrategy(store.db, id)).risk_status).toBe('HALTED');
    expect(await listAlerts(store.db)).toMatchObject([{ type: 'RISK_BREACH', priority: 'critical' }]);
    expect(await getSquareOff(store.db, runId)).toMatchObject({
      cause: 'loss_limit',
      status: 'running',
      products: null,
    });
    expect(await recentBreaches(store.db, 5)).toMatchObject([
      { strategy: 'nifty', key: 'max_loss_per_strategy_abs', level: 'breach', value: 1500, square_off_run_id: runId },
    ]);
    const types = (await listAudit(store.db, { limit: 20 })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['RISK_BREACH', 'RISK_STATE_CHANGED', 'SQUARE_OFF_STARTED']));
    const breach = (await listAudit(store.db, { type: 'RISK_BREACH', limit: 5 }))[0]!;
    expect(breach.payload).toMatchObject({ key: 'max_loss_per_strategy_abs', square_off_run_id: runId });
    expect((await listHousekeepingEvents(store.db, { job: 'risk', limit: 5 }))[0]).toMatchObject({
      action: 'breach',
      reason: 'max_loss_per_strategy_abs',
    });

    await writeRiskRecord(store.db, decisions, { trading_day: DAY }, AT);
    const states = await loadRiskStates(store.db);
    expect(states.get(`strategy:${id}`)?.state).toMatchObject({ state: 'HALTED', reason: 'max_loss_per_strategy_abs' });
    // Written once: the record neither raises the breach's alert again nor records it twice.
    expect(await listAlerts(store.db)).toMatchObject([{ type: 'RISK_BREACH', priority: 'critical' }]);
    expect(await recentBreaches(store.db, 5)).toHaveLength(1);
    const after = (await listAudit(store.db, { limit: 20 })).map((e) => e.type);
    expect(after.filter((t) => t === 'RISK_BREACH')).toHaveLength(1);
    expect(after.filter((t) => t === 'RISK_STATE_CHANGED')).toHaveLength(1);
  });

  it('a warning is written with the record: its alert, its row and RISK_WARNING', async () => {
    const decisions = lossOf(900);
    const runs = await writeRiskActions(store.db, decisions, { trading_day: DAY, escalate_at: AT }, AT);
    expect(runs.size).toBe(0);
    expect(await recentBreaches(store.db, 5)).toHaveLength(0);
    await writeRiskRecord(store.db, decisions, { trading_day: DAY }, AT);
    expect(await recentBreaches(store.db, 5)).toMatchObject([
      { key: 'max_loss_per_strategy_abs', level: 'warn', value: 900, square_off_run_id: null },
    ]);
    expect((await listAudit(store.db, { limit: 5 })).map((e) => e.type)).toEqual(['RISK_WARNING']);
    expect((await findStrategy(store.db, id)).risk_status).not.toBe('HALTED');
  });

  it('one running square-off per strategy: a second cause widens it (scope and the earlier escalation)', async () => {
    const force = istInstant(DAY, '15:15');
    const mis = await openSquareOff(
      store.db,
      { strategy_id: id, cause: 'mis_start', products: ['MIS'], exchanges: ['NSE', 'BSE'], escalate_at: force },
      istInstant(DAY, '15:10'),
    );
    const kill = await openSquareOff(
      store.db,
      { strategy_id: id, cause: 'kill_switch', products: null, exchanges: null, escalate_at: istInstant(DAY, '15:11') },
      istInstant(DAY, '15:11'),
    );
    expect(kill).toBe(mis);
    expect(await runningSquareOffs(store.db)).toMatchObject([
      {
        id: mis,
        cause: 'mis_start',
        products: null,
        exchanges: null,
        escalate_at: istInstant(DAY, '15:11').toISOString(),
      },
    ]);
  });

  it('exits recorded before they are sent, each with its order intent and ORDER_CREATED; one never handed on is marked, audited, and covers nothing', async () => {
    const run = await getSquareOff(
      store.db,
      await openSquareOff(
        store.db,
        { strategy_id: id, cause: 'kill_switch', products: null, exchanges: null, escalate_at: AT },
        AT,
      ),
    );
    const where = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };
    const planned = {
      ...where,
      transaction_type: 'SELL' as const,
      order_type: 'LIMIT' as const,
      quantity: 10,
      price: 950.4,
      market_protection: null,
    };
    const sendable = { ...planned, tag: 'so1xaaaaaaaaaaaaaaaa' };
    // An exit no order can carry (an exchange Kite does not take) is recorded without an intent.
    const unsendable = { ...planned, exchange: 'XYZ', tag: 'so1xbbbbbbbbbbbbbbbb' };
    await recordExitIntents(
      store.db,
      run!,
      [sendable, unsendable].map(({ market_protection: _, ...e }) => ({
        ...e,
        request: exitOrderRequest(e as typeof sendable),
      })),
      AT,
    );
    let loaded = await loadRunPosition(store.db, run!, where);
    expect(loaded.exits).toMatchObject([{ tag: 'so1xaaaaaaaaaaaaaaaa', state: 'intent', quantity: 10, order: null }]);
    expect(loaded.intents.get('so1xaaaaaaaaaaaaaaaa')).toBe('pending');
    expect(await getIntent(store.db, 'so1xaaaaaaaaaaaaaaaa')).toMatchObject({
      strategy_id: id,
      state: 'pending',
      attempts: 1,
      request: { transaction_type: 'SELL', quantity: 10, price: 950.4, tag: 'so1xaaaaaaaaaaaaaaaa' },
    });
    const created = await listAudit(store.db, { type: 'ORDER_CREATED', limit: 5 });
    expect(created.map((e) => e.payload.tag)).toEqual(['so1xaaaaaaaaaaaaaaaa']);
    expect(await getIntent(store.db, 'so1xbbbbbbbbbbbbbbbb')).toBeUndefined();

    const other = await loadRunPosition(store.db, run!, { ...where, exchange: 'XYZ' });
    // No intent: never handed to the desk, as after a crash between recording and sending.
    expect(other.intents.size).toBe(0);
    await markUnsentExits(store.db, run!, [{ tag: 'so1xbbbbbbbbbbbbbbbb', why: 'never sent' }], AT);
    loaded = await loadRunPosition(store.db, run!, { ...where, exchange: 'XYZ' });
    expect(loaded.exits[0]!.state).toBe('failed');
    const exitEvents = (await listAudit(store.db, { type: 'SQUARE_OFF_EXIT', limit: 10 })).map((e) => e.payload.action);
    expect(exitEvents).toEqual(['not sent']);
  });

  describe('a breach with its first exits', () => {
    const breach = () => lossOf(1500);
    const exit = {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      product: 'MIS',
      transaction_type: 'SELL' as const,
      order_type: 'MARKET' as const,
      quantity: 10,
      price: null,
      market_protection: 2,
      tag: 'so1xcccccccccccccccc',
    };

    it('the planner sees the run it opened and its exits are written in the same commit, after the breach', async () => {
      let seen: { run: number; positions: unknown[] } | null = null;
      const runs = await writeRiskActions(
        store.db,
        breach(),
        { trading_day: DAY, escalate_at: AT },
        AT,
        async (opened, read) => {
          seen = { run: opened[0]!.id, positions: await read.positions(opened[0]!) };
          const { market_protection: _, ...row } = exit;
          return new Map([[opened[0]!.id, [{ ...row, request: exitOrderRequest(exit) }]]]);
        },
      );
      const runId = runs.get(id)!;
      expect(seen).toEqual({ run: runId, positions: [] });
      const loaded = await loadRunPosition(store.db, (await getSquareOff(store.db, runId))!, exit);
      expect(loaded.exits).toMatchObject([{ tag: exit.tag, state: 'intent', quantity: 10 }]);
      expect(loaded.intents.get(exit.tag)).toBe('pending');
      expect((await getIntent(store.db, exit.tag))?.request).toMatchObject({
        order_type: 'MARKET',
        market_protection: 2,
      });
      // Oldest first: the breach's record, then the order that answers it.
      const types = (await listAudit(store.db, { limit: 20 })).map((e) => e.type).reverse();
      expect(types.indexOf('RISK_BREACH')).toBeGreaterThanOrEqual(0);
      expect(types.indexOf('ORDER_CREATED')).toBeGreaterThan(types.indexOf('RISK_BREACH'));
    });

    it('one commit: a planner that fails leaves nothing of the breach written', async () => {
      await expect(
        writeRiskActions(store.db, breach(), { trading_day: DAY, escalate_at: AT }, AT, async () => {
          throw new Error('the disk went away');
        }),
      ).rejects.toThrow('the disk went away');
      expect(await runningSquareOffs(store.db)).toEqual([]);
      expect(await recentBreaches(store.db, 5)).toEqual([]);
      expect(await listAlerts(store.db)).toEqual([]);
      expect(await listAudit(store.db, { limit: 5 })).toEqual([]);
      expect((await findStrategy(store.db, id)).risk_status).not.toBe('HALTED');
    });
  });
});
