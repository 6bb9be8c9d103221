import { newOrderTag } from '../../src/broker/order-tag.js';
import type { ExecutionConfig } from '../../src/config/execution.js';
import { executionRules } from '../../src/config/execution.js';
import { readLeg } from '../../src/costs/legs.js';
import type { Instrument } from '../../src/domain/instrument.js';
import { masterSlice } from '../../src/domain/master-slice.js';
import type { BrokerOrder, PlaceOrderRequest } from '../../src/domain/order.js';
import { validateOrderShape } from '../../src/domain/order-validation.js';
import { isParseError } from '../../src/domain/parse/error.js';
import { splitInstrumentKey } from '../../src/domain/parse/instrument-key-syntax.js';
import { DEFAULT_STRATEGY } from '../../src/domain/strategy.js';
import type { ExecutionAnalysis } from '../../src/execution/analyze.js';
import { bracketLegRequests } from '../../src/execution/bracket.js';
import { impactVerdict, spreadVerdict } from '../../src/execution/decision.js';
import {
  AUTO_MARKET_PROTECTION,
  type HoldChoice,
  type LegOrder,
  type LegPlacement,
  type LegRequest,
  placeLeg,
  planAnswer,
  planTrade,
} from '../../src/execution/placement.js';
import { qualityReport } from '../../src/execution/quality-report.js';
import {
  bracketAgainstMarket,
  costingPrice,
  type HeldLegSummary,
  heldAlertText,
  readBracket,
  type TradeLegSpec,
  type TradeSpec,
} from '../../src/execution/trade.js';
import type { Clock } from '../../src/market/clock.js';
import { istDayStart, istInstant } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import type { CostsResult } from '../../src/protocol/methods/costs.js';
import type {
  AnalysisView,
  HeldView,
  RespondResult,
  TradeLegView,
  TradeResult,
} from '../../src/protocol/methods/execution.js';
import type { OrderView } from '../../src/protocol/methods/orders.js';
import type { ParamsOf, ResultOf } from '../../src/protocol/methods.js';
import { createBracket } from '../../src/store/brackets.js';
import type { Store } from '../../src/store/database.js';
import { getAnalyses, linkAnalysis, loadQuality } from '../../src/store/execution-analysis.js';
import {
  askAgain,
  countHeld,
  expireHeld,
  finishHeld,
  type HeldOrder,
  heldByAlert,
  holdTrade,
  settleHeld,
} from '../../src/store/held-orders.js';
import { getInstrument, instrumentsListing } from '../../src/store/instruments.js';
import { orderViews } from '../../src/store/order-views.js';
import { findStrategy, getStrategyWithSettings } from '../../src/store/strategies.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { PlaceOptions } from '../account/order-desk.js';
import type { Logger } from '../logger.js';
import type { Recorder } from '../recorder.js';
import { type AnalysedLeg, type Analyst, executionSettings, isAnalysis } from './analyst.js';
import type { BracketKeeper } from './bracket-keeper.js';
import { analysisView, placementView } from './views.js';

/** A basket's legs as `costs.calculate` takes them, whose strategy's margin settings apply. */
export type CostsOf = (
  instruments: ParamsOf<'costs.calculate'>['instruments'],
  strategyId: number,
) => Promise<CostsResult>;

export interface ExecutionDeskDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  recorder: Recorder;
  analyst: Analyst;
  keeper: BracketKeeper;
  place(
    strategyId: number,
    request: Omit<PlaceOrderRequest, 'tag'>,
    options: PlaceOptions,
  ): Promise<{ orderId: string }>;
  placementBlocked(): string | null;
  config(): ExecutionConfig;
}

/** How often held orders' deadlines and open brackets are looked at, milliseconds. */
const CHECK_MS = 1000;
/** Open brackets are also looked at without an order update every this many checks (the feed may be down). */
const BRACKET_EVERY = 5;

/** What sending a trade's legs came to. */
interface Sent {
  orderIds: string[];
  status: TradeLegView['status'][];
  error: TradeResult['error'];
  bracket: TradeResult['bracket'];
  live: TradeResult['live'];
  /** A leg's order id and error, for its view. */
  leg(i: number): { order_id: string | null; error: TradeLegView['error'] };
}

/** A leg read from the request, its instrument found. */
interface ReadTradeLeg {
  spec: TradeLegSpec;
  instrument: Instrument;
  symbol: string;
}

const legRequest = (l: TradeLegSpec): LegRequest => ({
  side: l.side,
  quantity: l.quantity,
  type: l.type,
  price: l.price,
});

/**
 * Smart execution in the daemon: `som analyze` and its parts, `som trade` (analysis, costs and
 * margin, then send or hold), the answers to held orders and their expiry, brackets, and the
 * execution-quality report. The judgements are src/execution's (analysis, placement, re-check,
 * brackets, quality); this service fetches, stores and sends. Trades, answers and expiries run
 * one at a time, so a held order is answered or expired once.
 */
export class ExecutionDesk {
  readonly #d: ExecutionDeskDeps;
  readonly #queue = new SerialQueue();
  #timer: NodeJS.Timeout | null = null;
  #checks = 0;
  /** Tags whose analysis is not yet linked to their order (a restart forgets them; the desk links at placement). */
  readonly #unlinked = new Set<string>();

  constructor(deps: ExecutionDeskDeps) {
    this.#d = deps;
  }

  /** Expire what is due now (a restart may have slept through deadlines), then check every second. */
  start(): void {
    this.#check();
    this.#timer = setInterval(() => this.#check(), CHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The account listener: link an order to its analysis when first seen, and let brackets follow fills. */
  onOrderChanged(order: BrokerOrder, isNew: boolean): void {
    const tag = order.tag;
    if (tag && (isNew || this.#unlinked.has(tag))) {
      linkAnalysis(this.#d.store.db, tag, order.order_id)
        .then((id) => {
          if (id !== null) this.#unlinked.delete(tag);
        })
        .catch((err) => this.#d.logger.warn('execution.link_failed', { tag, error: (err as Error).message }));
    }
    this.#d.keeper.kick();
  }

  #check(): void {
    const now = this.#d.clock.now();
    void this.#queue
      .run(async () => {
        if ((await countHeld(this.#d.store.db)) === 0) return;
        for (const h of await expireHeld(this.#d.store.db, now)) {
          this.#d.logger.info('held.expired', { held: h.id, alert: h.alert_id });
        }
      })
      .catch((err) => this.#d.logger.warn('held.expiry_failed', { error: (err as Error).message }));
    if (this.#checks++ % BRACKET_EVERY === 0) this.#d.keeper.kick();
  }

  // --- analysis -------------------------------------------------------------------------

  async #strategy(ref: string | number | undefined) {
    const s = await getStrategyWithSettings(this.#d.store.db, ref ?? DEFAULT_STRATEGY);
    return { id: s.id, name: s.name, settings: executionSettings(s.settings) };
  }

  async #instrument(exchange: string, tradingsymbol: string): Promise<Instrument> {
    const instrument = await getInstrument(this.#d.store.db, exchange, tradingsymbol);
    if (!instrument) {
      throw new SomError(
        'NOT_FOUND',
        `no instrument ${exchange}:${tradingsymbol}; try \`som instruments search ${tradingsymbol.replace(/[0-9].*$/, '') || tradingsymbol}\``,
      );
    }
    return instrument;
  }

  /** One analysis, or the refusal as an error: a book the rules cannot read is EXECUTION_REFUSED (exit 4). */
  #analysisOrThrow(leg: AnalysedLeg, symbol: string): ExecutionAnalysis {
    if (isAnalysis(leg.result)) return leg.result;
    const { code, message } = leg.result;
    throw new SomError('EXECUTION_REFUSED', `${symbol}: ${message}`, { reason: code, analysis_id: leg.id });
  }

  /** `som analyze`: the whole analysis of an order som could send now. */
  async analyze(p: ParamsOf<'execution.analyze'>): Promise<AnalysisView> {
    const strategy = await this.#strategy(p.strategy);
    const instrument = await this.#instrument(p.exchange, p.tradingsymbol);
    const symbol = `${instrument.exchange}:${instrument.tradingsymbol}`;
    const [leg] = await this.#d.analyst.analyse(
      strategy,
      [{ instrument, side: p.side, quantity: p.quantity, product: p.product ?? null }],
      'analyze',
    );
    const a = this.#analysisOrThrow(leg!, symbol);
    return analysisView(leg!.id, { symbol, strategy: strategy.name, product: p.product ?? null }, a);
  }

  /** The spread's part, judged for one lot. */
  async validateSpread(p: ParamsOf<'execution.validateSpread'>): Promise<ResultOf<'execution.validateSpread'>> {
    const strategy = await this.#strategy(p.strategy);
    const instrument = await this.#instrument(p.exchange, p.tradingsymbol);
    const symbol = `${instrument.exchange}:${instrument.tradingsymbol}`;
    const [leg] = await this.#d.analyst.analyse(
      strategy,
      [{ instrument, side: 'BUY', quantity: Math.max(1, instrument.lot_size) }],
      'spread',
    );
    const a = this.#analysisOrThrow(leg!, symbol);
    const v = spreadVerdict(a.spread, strategy.settings, executionRules(this.#d.config()).spread);
    return {
      analysis_id: leg!.id,
      symbol,
      strategy: strategy.name,
      quote: a.quote,
      spread: a.spread,
      decision: v.decision,
      reason: v.reason,
      max_order_spread_pct: strategy.settings.max_order_spread_pct,
    };
  }

  /** The impact's part: walking the book, the liquidity and the limit price. */
  async estimateImpact(p: ParamsOf<'execution.estimateImpact'>): Promise<ResultOf<'execution.estimateImpact'>> {
    const strategy = await this.#strategy(p.strategy);
    const instrument = await this.#instrument(p.exchange, p.tradingsymbol);
    const symbol = `${instrument.exchange}:${instrument.tradingsymbol}`;
    const [leg] = await this.#d.analyst.analyse(
      strategy,
      [{ instrument, side: p.side, quantity: p.quantity }],
      'impact',
    );
    const a = this.#analysisOrThrow(leg!, symbol);
    const v = impactVerdict({ ...a.impact }, p.side, strategy.settings);
    return {
      analysis_id: leg!.id,
      symbol,
      strategy: strategy.name,
      side: p.side,
      quantity: p.quantity,
      quote: a.quote,
      impact: a.impact,
      liquidity: a.liquidity,
      limit: {
        price: a.limit.price,
        bound_by: a.limit.bound_by,
        reachable_quantity: a.limit.reachable_quantity,
        problem: a.limit.problem,
      },
      decision: v.decision,
      reason: v.reason,
      max_market_impact_bps: strategy.settings.max_market_impact_bps,
    };
  }

  /**
   * How to price an order that reduces a position for risk or a square-off: its market is
   * analysed now (stored, for the quality report) and it is never held: a LIMIT at the computed
   * price when there is one, else MARKET with protection (also when the book cannot be read).
   * Send it with `place(strategyId, {...request, ...order}, { analysisId })`.
   */
  async priceExit(
    strategyId: number,
    leg: { exchange: string; tradingsymbol: string; side: 'BUY' | 'SELL'; quantity: number; product: string },
  ): Promise<{ analysis_id: number; order: LegOrder }> {
    const strategy = await this.#strategy(strategyId);
    const instrument = await this.#instrument(leg.exchange, leg.tradingsymbol);
    const [analysed] = await this.#d.analyst.analyse(
      strategy,
      [{ instrument, side: leg.side, quantity: leg.quantity, product: leg.product }],
      'trade',
      { waitMs: 0 },
    );
    const a = analysed!;
    if (!isAnalysis(a.result)) {
      return { analysis_id: a.id, order: { order_type: 'MARKET', market_protection: AUTO_MARKET_PROTECTION } };
    }
    const placed = placeLeg({ side: leg.side, quantity: leg.quantity, type: 'auto', price: null }, a.result, {
      neverHold: true,
    });
    return { analysis_id: a.id, order: placed.order! };
  }

  // --- trade ----------------------------------------------------------------------------

  /**
   * `som trade`: read the legs, analyse each, cost the basket with its margin, then (unless a
   * preview) hold it for the user or send it, BUY legs first. One trade at a time.
   */
  trade(p: ParamsOf<'orders.trade'>, costsOf: CostsOf): Promise<TradeResult> {
    return this.#queue.run(() => this.#trade(p, costsOf));
  }

  async #trade(p: ParamsOf<'orders.trade'>, costsOf: CostsOf): Promise<TradeResult> {
    const strategy = await this.#strategy(p.strategy);
    const notices: string[] = [];
    const legs = await this.#readLegs(p.legs, notices);
    const bracket = readBracket(
      legs.map((l) => l.spec),
      p.stop,
      p.target,
    );
    if (bracket !== null && 'code' in bracket) throw new SomError(bracket.code, bracket.message);
    if (!p.preview) this.#assertPlacement();
    const spec: TradeSpec = { strategy_id: strategy.id, legs: legs.map((l) => l.spec), bracket };
    const analysed = await this.#d.analyst.analyse(
      strategy,
      legs.map((l) => ({
        instrument: l.instrument,
        side: l.spec.side,
        quantity: l.spec.quantity,
        product: l.spec.product,
      })),
      p.preview ? 'preview' : 'trade',
    );
    const analyses = analysed.map((a, i) => this.#analysisOrThrow(a, legs[i]!.symbol));
    if (bracket) {
      const through = bracketAgainstMarket(legs[0]!.spec.side, bracket.stop, analyses[0]!.quote);
      if (through) throw new SomError(through.code, through.message);
      this.#checkBracketShapes(legs[0]!, bracket);
    }
    const plan = planTrade(spec.legs.map(legRequest), analyses);
    this.#checkShapes(
      legs,
      plan.legs.map((l) => l.order),
    );
    const costs = await costsOf(
      this.#costLegs(
        legs,
        plan.legs.map((l) => l.order),
        analyses,
      ),
      strategy.id,
    );
    const views = analysed.map((a, i) =>
      analysisView(
        a.id,
        { symbol: legs[i]!.symbol, strategy: strategy.name, product: legs[i]!.spec.product },
        analyses[i]!,
      ),
    );
    const base = (status: TradeLegView['status']) =>
      legs.map((l, i) => this.#legView(l, i, views[i]!, plan.legs[i]!, status));
    if (p.preview)
      return this.#result({ preview: true, strategy: strategy.name, legs: base('preview'), costs, notices });
    if (costs.margin && !costs.margin.can_execute) {
      throw new SomError(
        'EXECUTION_REFUSED',
        `not enough margin: ${costs.margin.required_with_buffer} needed with the strategy's ${costs.margin.margin_buffer_pct}% buffer, ${costs.margin.available} available; nothing was sent`,
        { reason: 'INSUFFICIENT_MARGIN', margin: costs.margin },
      );
    }
    if (plan.hold) {
      const held = await this.#hold(spec, legs, analysed, analyses, plan.holding, plan.decision, [], strategy.name);
      return this.#result({
        preview: false,
        strategy: strategy.name,
        legs: base('held'),
        costs,
        held: held.view,
        notices,
      });
    }
    const sent = await this.#send(
      spec,
      legs,
      plan.legs.map((l) => l.order!),
      plan.sending,
      analysed.map((a) => a.id),
    );
    await this.#notifyHighCost(spec, legs, plan.legs, sent.orderIds);
    const sentLegs = legs.map((l, i) => ({
      ...this.#legView(l, i, views[i]!, plan.legs[i]!, sent.status[i]!),
      ...sent.leg(i),
    }));
    return this.#result({
      preview: false,
      strategy: strategy.name,
      costs,
      notices,
      ...(await this.#sentParts(sent, sentLegs)),
    });
  }

  async #readLegs(input: ParamsOf<'orders.trade'>['legs'], notices: string[]): Promise<ReadTradeLeg[]> {
    const symbols = input.flatMap((l) => {
      const written = splitInstrumentKey(l.symbol);
      return isParseError(written) ? [] : [written.tradingsymbol, written.tradingsymbol.toUpperCase()];
    });
    const master = masterSlice(await instrumentsListing(this.#d.store.db, symbols));
    return input.map((raw, i) => {
      const read = readLeg(raw, i, { listing: master, priceRequired: false });
      if ('code' in read) throw new SomError(read.code, read.message, { leg: i });
      const leg = read.leg;
      const instrument = master.instrument(leg.exchange, leg.tradingsymbol);
      if (!instrument)
        throw new SomError('NOT_FOUND', `leg ${i + 1}: no instrument ${leg.symbol}; try \`som instruments search\``, {
          leg: i,
        });
      const label = input.length === 1 ? leg.symbol : `leg ${i + 1} (${leg.symbol})`;
      if (raw.type === 'LIMIT' && leg.price === null) {
        throw new SomError('INVALID_INPUT', `${label}: a LIMIT needs a price`, { leg: i });
      }
      if (raw.type !== 'LIMIT' && leg.price !== null) {
        notices.push(
          `${label}: price ${leg.price} not used: a ${raw.type} order is priced by som (give type LIMIT to send it at your price)`,
        );
      }
      for (const w of read.warnings) notices.push(w.message);
      return {
        symbol: `${instrument.exchange}:${instrument.tradingsymbol}`,
        instrument,
        spec: {
          exchange: instrument.exchange,
          tradingsymbol: instrument.tradingsymbol,
          side: leg.side,
          quantity: leg.quantity,
          product: leg.product,
          type: raw.type,
          price: raw.type === 'LIMIT' ? leg.price : null,
          exit_price: leg.exitPrice,
        },
      };
    });
  }

  /** The bracket's stop (SL-M) and target (LIMIT) must be sendable as they are once the entry fills: on the tick grid. */
  #checkBracketShapes(leg: ReadTradeLeg, bracket: { stop: number; target: number }): void {
    const { stop, target } = bracketLegRequests(leg.spec, bracket, leg.spec.quantity);
    const problems = [
      ...validateOrderShape(stop, leg.instrument).map((p) => `the stop: ${p.message}`),
      ...validateOrderShape(target, leg.instrument).map((p) => `the target: ${p.message}`),
    ];
    if (problems.length > 0) throw new SomError('INVALID_INPUT', problems.join('; '));
  }

  /** Every leg's order must be sendable as it is: checked before anything goes out. */
  #checkShapes(legs: readonly ReadTradeLeg[], orders: readonly (LegOrder | null)[]): void {
    const problems = legs.flatMap((l, i) => {
      const order = orders[i];
      if (!order) return [];
      return validateOrderShape(this.#request(l.spec, order), l.instrument).map((p) =>
        legs.length === 1 ? p.message : `leg ${i + 1} (${l.symbol}): ${p.message}`,
      );
    });
    if (problems.length > 0) throw new SomError('INVALID_INPUT', problems.join('; '));
  }

  #request(leg: TradeLegSpec, order: LegOrder): Omit<PlaceOrderRequest, 'tag'> {
    return {
      variety: 'regular',
      exchange: leg.exchange,
      tradingsymbol: leg.tradingsymbol,
      transaction_type: leg.side,
      product: leg.product,
      quantity: leg.quantity,
      validity: 'DAY',
      ...order,
    };
  }

  /** Each leg as `costs.calculate` takes it, at the price it goes out at ({@link costingPrice}). */
  #costLegs(
    legs: readonly ReadTradeLeg[],
    orders: readonly (LegOrder | null)[],
    analyses: readonly ExecutionAnalysis[],
  ) {
    return legs.map((l, i) => ({
      symbol: l.symbol,
      quantity: l.spec.quantity,
      price: costingPrice(orders[i] ?? null, analyses[i]!),
      side: l.spec.side,
      product: l.spec.product,
      ...(l.spec.exit_price !== null ? { exit_price: l.spec.exit_price } : {}),
    }));
  }

  #assertPlacement(): void {
    const blocked = this.#d.placementBlocked();
    if (blocked) throw new SomError('BROKER_UNAVAILABLE', `order placement is paused: ${blocked}`);
  }

  #legView(
    l: ReadTradeLeg,
    i: number,
    analysis: AnalysisView,
    p: LegPlacement,
    status: TradeLegView['status'],
  ): TradeLegView {
    return {
      index: i,
      symbol: l.symbol,
      side: l.spec.side,
      quantity: l.spec.quantity,
      product: l.spec.product,
      requested_type: l.spec.type,
      analysis,
      placement: placementView(p),
      status,
      order_id: null,
      order: null,
      error: null,
    };
  }

  #result(
    r: Partial<TradeResult> & Pick<TradeResult, 'preview' | 'strategy' | 'legs' | 'costs' | 'notices'>,
  ): TradeResult {
    return { held: null, order: null, orders: [], bracket: null, error: null, live: [], ...r };
  }

  // --- hold -----------------------------------------------------------------------------

  async #hold(
    spec: TradeSpec,
    legs: readonly ReadTradeLeg[],
    analysed: readonly AnalysedLeg[],
    analyses: readonly ExecutionAnalysis[],
    holding: readonly number[],
    decision: ExecutionAnalysis['decision'],
    again: readonly string[],
    strategyName: string,
    previous?: { held: HeldOrder; choice: HoldChoice; responseMs: number },
  ): Promise<{ view: HeldView; held: HeldOrder }> {
    const now = this.#d.clock.now();
    const expiresAt = new Date(now.getTime() + this.#d.config().held_order_expiry_seconds * 1000);
    const summaries: HeldLegSummary[] = legs.map((l, i) => ({
      symbol: l.symbol,
      side: l.spec.side,
      quantity: l.spec.quantity,
      decision: analyses[i]!.decision,
      limit_price: analyses[i]!.limit_price,
      reasons: analyses[i]!.reasons,
    }));
    const text = heldAlertText({ legs: summaries, holding, decision, expiresAt, again });
    const alert = {
      ...text,
      payload: {
        decision,
        legs: summaries.map(({ reasons: _, ...s }) => s),
        analysis_ids: analysed.map((a) => a.id),
        holding,
        ...(again.length > 0 ? { asked_again: again } : {}),
      },
    };
    const analysisIds = analysed.map((a) => a.id);
    let written: { held: HeldOrder; alert: { id: number } } | null;
    if (previous) {
      written = await askAgain(
        this.#d.store.db,
        {
          held: previous.held,
          choice: previous.choice,
          responseMs: previous.responseMs,
          outcome: `asked again: ${again.join('; ')}`,
          decision,
          analysisIds,
          expiresAt,
          alert,
        },
        now,
      );
      if (!written)
        throw new SomError('INVALID_INPUT', `held order ${previous.held.id} was answered or expired meanwhile`);
    } else {
      written = await holdTrade(this.#d.store.db, { trade: spec, decision, analysisIds, expiresAt, alert }, now);
    }
    const worst = holding.reduce((w, i) => (analyses[i]!.decision === decision ? i : w), holding[0] ?? 0);
    this.#d.logger.info('held', { held: written.held.id, alert: written.alert.id, decision });
    return {
      held: written.held,
      view: {
        alert_id: written.alert.id,
        held_order_id: written.held.id,
        decision,
        analysis: analysisView(
          analysed[worst]!.id,
          { symbol: legs[worst]!.symbol, strategy: strategyName, product: legs[worst]!.spec.product },
          analyses[worst]!,
        ),
        expires_at: expiresAt.toISOString(),
        expires_in_ms: expiresAt.getTime() - now.getTime(),
        asked_again: [...again],
      },
    };
  }

  // --- send -----------------------------------------------------------------------------

  /**
   * Send the legs in `sending` order, each with its analysis, stopping at the first the broker
   * refuses (an error, or REJECTED once placed); a bracket is recorded before its entry goes.
   */
  async #send(
    spec: TradeSpec,
    legs: readonly ReadTradeLeg[],
    orders: readonly LegOrder[],
    sending: readonly number[],
    analysisIds: readonly number[],
  ): Promise<Sent> {
    const orderIds: (string | null)[] = legs.map(() => null);
    const status: TradeLegView['status'][] = legs.map(() => 'not_sent');
    const errors: TradeLegView['error'][] = legs.map(() => null);
    let error: TradeResult['error'] = null;
    let bracket: TradeResult['bracket'] = null;
    for (const i of sending) {
      const leg = legs[i]!;
      const request = this.#request(leg.spec, orders[i]!);
      const tag = newOrderTag(spec.strategy_id);
      let marker: { done(): void } | null = null;
      if (spec.bracket) {
        marker = this.#d.keeper.sending(tag);
        const id = await createBracket(
          this.#d.store.db,
          {
            strategyId: spec.strategy_id,
            entryTag: tag,
            exchange: leg.spec.exchange,
            tradingsymbol: leg.spec.tradingsymbol,
            product: leg.spec.product,
            side: leg.spec.side,
            quantity: leg.spec.quantity,
            stop: spec.bracket.stop,
            target: spec.bracket.target,
          },
          this.#d.clock.now(),
        );
        bracket = { id, stop: spec.bracket.stop, target: spec.bracket.target };
      }
      this.#unlinked.add(tag);
      try {
        const placed = await this.#d.place(spec.strategy_id, request, { analysisId: analysisIds[i]!, tag });
        orderIds[i] = placed.orderId;
        status[i] = 'sent';
        await linkAnalysis(this.#d.store.db, tag, placed.orderId).then(
          (id) => id !== null && this.#unlinked.delete(tag),
        );
        const [view] = await orderViews(this.#d.store.db, { orderId: placed.orderId, limit: 1 });
        if (view?.status === 'REJECTED') {
          status[i] = 'failed';
          errors[i] = { code: 'BROKER_ERROR', message: view.status_message ?? 'rejected by the broker' };
          error = { ...errors[i]!, leg: i };
          break;
        }
      } catch (err) {
        status[i] = 'failed';
        const value = err instanceof SomError ? err.toValue() : { code: 'FAILED' as const, message: String(err) };
        errors[i] = { code: value.code, message: value.message };
        error = { code: value.code, message: value.message, leg: i };
        if (legs.length === 1) throw err;
        break;
      } finally {
        marker?.done();
        if (spec.bracket) this.#d.keeper.kick();
      }
    }
    const ids = orderIds.filter((o): o is string => o !== null);
    return {
      orderIds: ids,
      status,
      error,
      bracket,
      live: sending.flatMap((i) =>
        status[i] === 'sent' ? [{ index: i, symbol: legs[i]!.symbol, order_id: orderIds[i]! }] : [],
      ),
      leg: (i: number) => ({ order_id: orderIds[i] ?? null, error: errors[i] ?? null }),
    };
  }

  /** The result's parts about what was sent: each leg's order as stored now, the orders, the bracket, a refusal. */
  async #sentParts(sent: Sent, legs: readonly TradeLegView[]) {
    const views: OrderView[] =
      sent.orderIds.length === 0
        ? []
        : await orderViews(this.#d.store.db, { orderIds: sent.orderIds, limit: sent.orderIds.length });
    const byId = new Map(views.map((v) => [v.order_id, v]));
    const orders = sent.orderIds.map((id) => byId.get(id)).filter((v): v is OrderView => v !== undefined);
    return {
      legs: legs.map((l) => ({ ...l, order: l.order_id === null ? null : (byId.get(l.order_id) ?? null) })),
      orders,
      order: sent.orderIds.length === 1 && sent.status.length === 1 ? (orders[0] ?? null) : null,
      bracket: sent.bracket,
      error: sent.error,
      live: sent.live,
    };
  }

  /** A costly order sent anyway (approval off): the user is told, with why. */
  async #notifyHighCost(
    spec: TradeSpec,
    legs: readonly ReadTradeLeg[],
    placements: readonly LegPlacement[],
    orderIds: readonly string[],
  ) {
    for (const [i, p] of placements.entries()) {
      if (!p.high_cost_notice) continue;
      const leg = legs[i]!;
      await this.#d.recorder
        .raise({
          type: 'HIGH_COST_ORDER',
          priority: 'normal',
          strategyId: spec.strategy_id,
          title: `Costly order sent: ${leg.spec.side} ${leg.spec.quantity} ${leg.symbol}`,
          message: `${p.explanation}. The strategy does not ask for approval (require_user_approval_high_impact is off).`,
          payload: { leg: i, decision: p.decision, order_ids: orderIds },
        })
        .catch(() => undefined);
    }
  }

  // --- answers ----------------------------------------------------------------------------

  /** `som alerts respond ID cancel|limit|proceed`. One answer at a time; an expired order is never sent. */
  respond(p: ParamsOf<'alerts.respond'>, costsOf: CostsOf): Promise<RespondResult> {
    return this.#queue.run(() => this.#respond(p.id, p.choice, costsOf));
  }

  async #respond(alertId: number, choice: HoldChoice, costsOf: CostsOf): Promise<RespondResult> {
    const db = this.#d.store.db;
    const found = await heldByAlert(db, alertId);
    if (!found) throw new SomError('NOT_FOUND', `alert ${alertId} holds no order; see \`som alerts\``);
    const { held } = found;
    if (!found.current && held.state === 'held') {
      throw new SomError('INVALID_INPUT', `alert ${alertId} was replaced by alert ${held.alert_id}: answer that one`);
    }
    if (held.state !== 'held') {
      throw new SomError(
        'INVALID_INPUT',
        `held order ${held.id} is already ${held.state}: ${held.outcome ?? ''}`.trim(),
      );
    }
    const now = this.#d.clock.now();
    const responseMs = now.getTime() - new Date(held.asked_at).getTime();
    if (now.getTime() >= new Date(held.expires_at).getTime()) {
      await expireHeld(db, now);
      throw new SomError(
        'INVALID_INPUT',
        `alert ${alertId} expired at ${held.expires_at}: the order was cancelled, never sent`,
      );
    }
    const base = { alert_id: alertId, held_order_id: held.id, choice, response_ms: responseMs };
    if (choice === 'cancel') {
      await settleHeld(db, { held, choice, responseMs, outcome: 'cancelled by the user', state: 'cancelled' }, now);
      return { ...base, outcome: 'cancelled', trade: null, held: null };
    }

    this.#assertPlacement();
    const strategy = await findStrategy(db, held.strategy_id);
    const s = await this.#strategy(strategy.id);
    const legs: ReadTradeLeg[] = [];
    for (const spec of held.trade.legs) {
      const instrument = await this.#instrument(spec.exchange, spec.tradingsymbol);
      legs.push({ spec, instrument, symbol: `${instrument.exchange}:${instrument.tradingsymbol}` });
    }
    const analysed = await this.#d.analyst.analyse(
      s,
      legs.map((l) => ({
        instrument: l.instrument,
        side: l.spec.side,
        quantity: l.spec.quantity,
        product: l.spec.product,
      })),
      'recheck',
    );
    const fresh = analysed.map((a, i) => {
      if (isAnalysis(a.result)) return a.result;
      throw new SomError(
        'EXECUTION_REFUSED',
        `${legs[i]!.symbol}: ${a.result.message}; the order stays held until ${held.expires_at}`,
        { reason: a.result.code },
      );
    });
    const shown = (await getAnalyses(db, held.analysis_ids)).map((a) => a.analysis);
    if (shown.length !== legs.length || shown.some((a) => a === null)) {
      throw new SomError('FAILED', `held order ${held.id}: the analyses it was held on are missing`);
    }
    const requests = held.trade.legs.map(legRequest);
    const config = this.#d.config();
    const plan = planAnswer(choice, requests, shown as ExecutionAnalysis[], fresh, {
      cost_bps: config.reask_cost_bps,
      unfilled_pct: config.reask_unfilled_pct,
    });
    if (plan.kind === 'ask_again') {
      const again = await this.#hold(
        held.trade,
        legs,
        analysed,
        fresh,
        plan.holding,
        plan.decision,
        plan.worse,
        s.name,
        {
          held,
          choice,
          responseMs,
        },
      );
      return { ...base, outcome: 'asked_again', trade: null, held: again.view };
    }

    const costs = await costsOf(this.#costLegs(legs, plan.orders, fresh), held.strategy_id);
    if (costs.margin && !costs.margin.can_execute) {
      throw new SomError(
        'EXECUTION_REFUSED',
        `not enough margin now: ${costs.margin.required_with_buffer} needed with the buffer, ${costs.margin.available} available; the order stays held until ${held.expires_at}`,
        { reason: 'INSUFFICIENT_MARGIN' },
      );
    }
    this.#checkShapes(legs, plan.orders);
    const outcome = choice === 'limit' ? 'use LIMIT at the computed price: sent' : 'proceed as asked: sent';
    if (!(await settleHeld(db, { held, choice, responseMs, outcome, state: 'sent' }, now))) {
      throw new SomError('INVALID_INPUT', `held order ${held.id} was answered or expired meanwhile`);
    }
    const sent = await this.#send(
      held.trade,
      legs,
      plan.orders,
      plan.sending,
      analysed.map((a) => a.id),
    );
    await finishHeld(
      db,
      held.id,
      {
        orderIds: sent.orderIds,
        outcome: sent.error ? `${outcome}, but leg ${sent.error.leg + 1} was refused: ${sent.error.message}` : outcome,
        failed: sent.error !== null,
      },
      this.#d.clock.now(),
    );
    const views = analysed.map((a, i) =>
      analysisView(a.id, { symbol: legs[i]!.symbol, strategy: s.name, product: legs[i]!.spec.product }, fresh[i]!),
    );
    const sentLegs = legs.map((l, i) => ({
      ...this.#legView(
        l,
        i,
        views[i]!,
        {
          hold: false,
          decision: fresh[i]!.decision,
          order: plan.orders[i]!,
          high_cost_notice: false,
          explanation: outcome,
        },
        sent.status[i]!,
      ),
      ...sent.leg(i),
    }));
    const trade = this.#result({
      preview: false,
      strategy: s.name,
      costs,
      notices: [],
      ...(await this.#sentParts(sent, sentLegs)),
    });
    return { ...base, outcome: sent.error ? 'failed' : 'sent', trade, held: null };
  }

  // --- report ---------------------------------------------------------------------------

  /** `som report execution`: the period's execution quality (default: the last 30 days, IST). */
  async report(p: ParamsOf<'execution.report'>): Promise<ResultOf<'execution.report'>> {
    const db = this.#d.store.db;
    const strategy = p.strategy === undefined ? null : await findStrategy(db, p.strategy);
    const now = this.#d.clock.now();
    const since =
      p.since !== undefined
        ? istInstant(p.since, '00:00')
        : istDayStart(new Date(now.getTime() - REPORT_DAYS * 86_400_000));
    const { inputs, held } = await loadQuality(db, { since: since.toISOString(), strategyId: strategy?.id });
    return { since: since.toISOString(), strategy: strategy?.name ?? null, ...qualityReport(inputs, held) };
  }

  /** Resolves once no trade, answer or expiry is queued (tests). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }
}

/** `som report execution` without --since covers this many days. */
const REPORT_DAYS = 30;
