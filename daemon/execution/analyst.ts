import { type ExecutionConfig, executionRules } from '../../src/config/execution.js';
import type { Instrument } from '../../src/domain/instrument.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import type { StrategySettings } from '../../src/domain/strategy-settings.js';
import { analyzeExecution, type ExecutionAnalysis } from '../../src/execution/analyze.js';
import { bookInstrument } from '../../src/execution/book-instrument.js';
import type { ExecutionSettings } from '../../src/execution/decision.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import type { Clock } from '../../src/market/clock.js';
import type { Store } from '../../src/store/database.js';
import { type AnalysisPurpose, insertAnalysis, tagAnalysis } from '../../src/store/execution-analysis.js';
import { getInstrument } from '../../src/store/instruments.js';
import { readSettings } from '../../src/store/settings.js';
import { within } from '../../src/util/within.js';
import type { Logger } from '../logger.js';
import type { DepthSource, DepthWanted, NoDepth } from './depth-source.js';

/** A leg to analyse, its instrument known. */
export interface LegToAnalyse {
  instrument: Instrument;
  side: 'BUY' | 'SELL';
  quantity: number;
  product?: string | null;
  tag?: string | null;
}

/** Why a leg has no analysis: the instrument, the book or the depth would not allow one. */
export interface AnalysisRefusal {
  code: string;
  message: string;
}

export interface AnalysedLeg {
  /** The stored analysis (or refusal). */
  id: number;
  result: ExecutionAnalysis | AnalysisRefusal;
}

export interface AnalystDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  depth: DepthSource;
  config(): ExecutionConfig;
}

/** The strategy settings that move an analysis's lines. */
export function executionSettings(s: StrategySettings): ExecutionSettings {
  return {
    max_order_spread_pct: s.max_order_spread_pct,
    min_liquidity_score: s.min_liquidity_score,
    max_market_impact_bps: s.max_market_impact_bps,
    require_user_approval_high_impact: s.require_user_approval_high_impact,
  };
}

const isAnalysis = (r: AnalysedLeg['result']): r is ExecutionAnalysis => 'decision' in r;

export { isAnalysis };

/**
 * Makes som's market analyses: the depth from the feed (or one quote call), the pure analysis
 * (src/execution/analyze.ts) under the strategy's settings and the `[execution]` rules, and
 * every analysis (or the reason there is none) stored with the depth it used.
 */
export class Analyst {
  readonly #d: AnalystDeps;

  constructor(deps: AnalystDeps) {
    this.#d = deps;
  }

  /** Analyse legs together (one quote call covers every leg without a fresh tick); each is stored. */
  async analyse(
    strategy: { id: number; settings: ExecutionSettings },
    legs: readonly LegToAnalyse[],
    purpose: AnalysisPurpose,
    options: { waitMs?: number } = {},
  ): Promise<AnalysedLeg[]> {
    const config = this.#d.config();
    const results = await this.#judge(strategy.settings, legs, config, (wanted) =>
      this.#d.depth.snapshots(wanted, {
        maxAgeMs: config.max_depth_age_ms,
        waitMs: options.waitMs ?? config.depth_wait_ms,
      }),
    );
    const out: AnalysedLeg[] = [];
    for (const [i, leg] of legs.entries()) {
      out.push({ id: await this.#store(strategy, leg, purpose, results[i]!), result: results[i]! });
    }
    return out;
  }

  /**
   * The order desk's hook, just before an order goes out: `known`, an analysis `som trade` made
   * for it, is given its tag; otherwise (`som order place`, the housekeeper's orders) the market
   * is analysed now from a fresh tick or one quote call, never delaying the order more than
   * `plain_order_depth_ms` (without depth in time, or when the broker cannot quote, the stored
   * refusal says so), and stored with the tag. Never holds the order. Returns the analysis id.
   */
  async forOrder(strategyId: number, request: PlaceOrderRequest, known?: number): Promise<number | null> {
    const tag = request.tag ?? null;
    if (known !== undefined) {
      if (tag) await tagAnalysis(this.#d.store.db, known, tag);
      return known;
    }
    const instrument = await getInstrument(this.#d.store.db, request.exchange, request.tradingsymbol);
    if (!instrument) return null;
    const settings = executionSettings(await readSettings(this.#d.store.db, strategyId));
    const leg: LegToAnalyse = {
      instrument,
      side: request.transaction_type,
      quantity: request.quantity,
      product: request.product,
      tag,
    };
    const config = this.#d.config();
    const limit = config.plain_order_depth_ms;
    const [result] = await this.#judge(settings, [leg], config, async (wanted) => {
      try {
        const got = await within(
          this.#d.depth.snapshots(wanted, { maxAgeMs: config.max_depth_age_ms, waitMs: 0 }),
          limit,
        );
        if (got.done) return got.value;
        return wanted.map(() => ({
          code: 'DEPTH_UNAVAILABLE' as const,
          message: `no depth within ${limit} ms: the order went out without waiting`,
        }));
      } catch (err) {
        return wanted.map(() => ({
          code: 'DEPTH_UNAVAILABLE' as const,
          message: `no depth: ${(err as Error).message}`,
        }));
      }
    });
    return this.#store({ id: strategyId, settings }, leg, 'place', result!);
  }

  /** Each leg's analysis, or why there is none, from the depth `fetch` gives for the legs that can have one. */
  async #judge(
    settings: ExecutionSettings,
    legs: readonly LegToAnalyse[],
    config: ExecutionConfig,
    fetch: (wanted: DepthWanted[]) => Promise<(DepthSnapshot | NoDepth)[]>,
  ): Promise<AnalysedLeg['result'][]> {
    const facts = legs.map((l) => bookInstrument(l.instrument));
    const wanted: DepthWanted[] = [];
    legs.forEach((l, i) => {
      const f = facts[i]!;
      if ('code' in f) return;
      wanted.push({
        ...f,
        instrument_token: l.instrument.instrument_token,
        key: `${l.instrument.exchange}:${l.instrument.tradingsymbol}`,
      });
    });
    const snapshots = wanted.length > 0 ? await fetch(wanted) : [];
    const rules = executionRules(config);
    let next = 0;
    return legs.map((leg, i) => {
      const f = facts[i]!;
      if ('code' in f) return f;
      const snapshot = snapshots[next++]!;
      if ('code' in snapshot) return snapshot;
      return analyzeExecution({ snapshot, side: leg.side, quantity: leg.quantity, settings, rules });
    });
  }

  async #store(
    strategy: { id: number; settings: ExecutionSettings },
    leg: LegToAnalyse,
    purpose: AnalysisPurpose,
    result: AnalysedLeg['result'],
  ): Promise<number> {
    return insertAnalysis(
      this.#d.store.db,
      {
        purpose,
        strategyId: strategy.id,
        tag: leg.tag ?? null,
        exchange: leg.instrument.exchange,
        tradingsymbol: leg.instrument.tradingsymbol,
        side: leg.side,
        quantity: leg.quantity,
        product: leg.product ?? null,
        settings: strategy.settings,
        result,
      },
      this.#d.clock.now(),
    );
  }
}
