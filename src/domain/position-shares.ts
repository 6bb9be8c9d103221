/**
 * The position basis: the broker's net position per instrument and product is the truth, and
 * strategies own shares of it. This module is the whole rule set; it takes data and returns
 * the changes to make (the daemon writes them, with the fill that caused them, in one
 * transaction).
 *
 * - A strategy's share moves only with fills: every time an order's filled quantity grows,
 *   the growth (a fill) is allocated to shares ({@link allocateFill}). Shares are stored, so
 *   they carry over across days and restarts: an NRML position bought by a strategy last
 *   week is still that strategy's this morning, whatever the host's clock says.
 * - The broker's net position (plus, for CNC, the holdings the position settled into) is
 *   compared with the shares; a difference no fill explains (a position bought before som was
 *   installed, a contract that expired, an update som never saw) is adopted as if it were an
 *   order placed outside som ({@link adoptResidual}), so the shares always add up to the
 *   account.
 * - Fills of som's own orders (tagged with their strategy) go to that strategy, whatever they
 *   do to it: a strategy may sell more than it holds, on purpose.
 * - Fills of orders placed elsewhere (Kite web, the mobile app, another program) that add to
 *   the account's position go to the order's strategy (see {@link attributeExternal}).
 * - Fills of orders placed elsewhere that reduce the account's position (a hand exit, a stop
 *   set on Kite web filling) are shared out in this order, never taking a share past zero:
 *   1. the order's own strategy, when it holds the other side;
 *   2. `default`, which holds what no strategy explains;
 *   3. the other strategies, the most recently entered first (last in, first out; ties: the
 *      higher strategy id first).
 *   Whatever is left reverses the position and goes to the order's own strategy.
 *   So with two strategies long 25 each in one instrument, a hand exit of 25 closes the one
 *   that entered last, and that strategy's stop and target are the ones cleaned up.
 */
/** Kite's transaction type. */
export type Side = 'BUY' | 'SELL';

/** +1 for BUY, -1 for SELL: the sign an order's fills give a position. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/** Where a share lives: one instrument and product. */
export interface InstrumentProduct {
  exchange: string;
  tradingsymbol: string;
  product: string;
}

/** A strategy's share of the account's net position in one instrument and product. */
export interface PositionShare extends InstrumentProduct {
  strategy_id: number;
  /** Signed: positive long, negative short. */
  quantity: number;
  /**
   * When the share last grew away from zero, as a sequence number that only increases
   * (higher: more recent). Orders the strategies for "last in, first out".
   */
  entry_seq: number;
}

/** Why a share moved. */
export type AllocationReason = 'own' | 'adds' | 'hand-exit' | 'reversal' | 'adopted';

/** One change to one share: `quantity` is the signed amount added. */
export interface ShareAllocation extends InstrumentProduct {
  strategy_id: number;
  quantity: number;
  reason: AllocationReason;
  explanation: string;
}

/** A fill to allocate: the growth of one order's filled quantity. */
export interface FillDelta extends InstrumentProduct {
  /** The strategy the order belongs to (its tag's, or the one it was attributed to). */
  strategy_id: number;
  /** Placed by som, tagged with its strategy: the fill is that strategy's, whatever it does. */
  placed_by_som: boolean;
  side: Side;
  /** How much more of the order filled (> 0). */
  quantity: number;
}

/**
 * Share a fill out (see the module comment). `shares` are the current shares in the fill's
 * instrument and product (others are ignored); the result adds up to the fill's signed
 * quantity.
 */
export function allocateFill(
  fill: FillDelta,
  shares: readonly PositionShare[],
  defaultStrategyId: number,
): ShareAllocation[] {
  const signed = sideSign(fill.side) * fill.quantity;
  const where = `${fill.side} ${fill.quantity} ${fill.exchange}:${fill.tradingsymbol} ${fill.product}`;
  const one = (reason: AllocationReason, explanation: string): ShareAllocation[] => [
    { ...instrumentOf(fill), strategy_id: fill.strategy_id, quantity: signed, reason, explanation },
  ];
  if (fill.placed_by_som) return one('own', `${where}: placed by som for this strategy`);
  const mine = shares.filter((s) => sameInstrument(s, fill));
  const total = mine.reduce((sum, s) => sum + s.quantity, 0);
  if (total === 0 || Math.sign(total) === Math.sign(signed)) {
    return one('adds', `${where}: placed outside som, adds to the account's position`);
  }
  return reduce(fill, mine, defaultStrategyId, 'hand-exit');
}

/**
 * Make the shares add up to the account's net position `accountQuantity` in one instrument
 * and product: the difference no fill explains is taken like an order placed outside som by
 * `default` (added to `default`, or, when it reduces, shared out as a hand exit is).
 */
export function adoptResidual(
  where: InstrumentProduct,
  accountQuantity: number,
  shares: readonly PositionShare[],
  defaultStrategyId: number,
): ShareAllocation[] {
  const mine = shares.filter((s) => sameInstrument(s, where));
  const total = mine.reduce((sum, s) => sum + s.quantity, 0);
  const residual = accountQuantity - total;
  if (residual === 0) return [];
  const fill: FillDelta = {
    ...instrumentOf(where),
    strategy_id: defaultStrategyId,
    placed_by_som: false,
    side: residual > 0 ? 'BUY' : 'SELL',
    quantity: Math.abs(residual),
  };
  const text = `the broker's position is ${accountQuantity}, the strategies' shares add up to ${total}`;
  if (total === 0 || Math.sign(total) === Math.sign(residual)) {
    return [
      {
        ...instrumentOf(where),
        strategy_id: defaultStrategyId,
        quantity: residual,
        reason: 'adopted',
        explanation: `${text}: the ${Math.abs(residual)} no fill explains is default's`,
      },
    ];
  }
  return reduce(fill, mine, defaultStrategyId, 'adopted').map((a) => ({
    ...a,
    explanation: `${text}: ${a.explanation}`,
  }));
}

/**
 * Apply allocations to shares: the new share rows (only the changed ones). A share that grows
 * away from zero, or crosses it, takes `nextSeq()` as its entry sequence.
 */
export function applyAllocations(
  shares: readonly PositionShare[],
  allocations: readonly ShareAllocation[],
  nextSeq: () => number,
): PositionShare[] {
  const byKey = new Map(shares.map((s) => [shareKey(s), { ...s }]));
  const changed = new Map<string, PositionShare>();
  for (const a of allocations) {
    const key = shareKey(a);
    const before = byKey.get(key) ?? { ...instrumentOf(a), strategy_id: a.strategy_id, quantity: 0, entry_seq: 0 };
    const quantity = before.quantity + a.quantity;
    const grew = Math.abs(quantity) > Math.abs(before.quantity) || Math.sign(quantity) === -Math.sign(before.quantity);
    const after: PositionShare = {
      ...before,
      quantity,
      entry_seq: grew && quantity !== 0 ? nextSeq() : before.entry_seq,
    };
    byKey.set(key, after);
    changed.set(key, after);
  }
  return [...changed.values()];
}

/** What a strategy holds and is working on one side, for attributing an order placed elsewhere. */
export interface StrategyExposure {
  strategy_id: number;
  /** Signed share. */
  quantity: number;
  entry_seq: number;
  /** Pending quantity of the strategy's working entries on the BUY side and on the SELL side. */
  working: { BUY: number; SELL: number };
}

/**
 * Which strategy an order placed outside som belongs to (som's own orders carry their
 * strategy in their tag). An order that adds to nothing, or to what is there, is `default`'s.
 * An order on the other side of a holding (a stop, a target, a hand exit) belongs to the
 * strategy whose position it most plausibly closes, judged on what each strategy holds or is
 * about to hold through its working entries (a stop placed together with its entry):
 * 1. a strategy other than default holding exactly the order's quantity (most recent entry first);
 * 2. default, when it holds at least the order's quantity;
 * 3. the most recently entered strategy holding at least the order's quantity;
 * 4. the strategy holding the most (most recent entry on a tie).
 */
export function attributeExternal(
  side: Side,
  quantity: number,
  exposures: readonly StrategyExposure[],
  defaultStrategyId: number,
): { strategy_id: number; explanation: string } {
  const against = -sideSign(side);
  const held = exposures
    .map((e) => ({
      e,
      size: (Math.sign(e.quantity) === against ? Math.abs(e.quantity) : 0) + e.working[against > 0 ? 'BUY' : 'SELL'],
    }))
    .filter((x) => x.size > 0)
    .sort((x, y) => y.e.entry_seq - x.e.entry_seq || y.e.strategy_id - x.e.strategy_id);
  if (held.length === 0) return { strategy_id: defaultStrategyId, explanation: 'nothing held against it: default' };
  const named = (x: { e: StrategyExposure; size: number }, why: string) => ({
    strategy_id: x.e.strategy_id,
    explanation: `${why} (${x.size} held or being entered)`,
  });
  const exact = held.find((x) => x.e.strategy_id !== defaultStrategyId && x.size === quantity);
  if (exact) return named(exact, 'the strategy holding exactly its quantity');
  const unowned = held.find((x) => x.e.strategy_id === defaultStrategyId && x.size >= quantity);
  if (unowned) return named(unowned, 'default holds enough');
  const enough = held.find((x) => x.size >= quantity);
  if (enough) return named(enough, 'the most recently entered strategy holding enough');
  const largest = held.reduce((best, x) => (x.size > best.size ? x : best));
  return named(largest, 'the strategy holding the most');
}

/** Shares of one instrument and product, by strategy. */
export function shareKey(s: InstrumentProduct & { strategy_id: number }): string {
  return `${s.strategy_id}|${s.exchange}|${s.tradingsymbol}|${s.product}`;
}

export function sameInstrument(a: InstrumentProduct, b: InstrumentProduct): boolean {
  return a.exchange === b.exchange && a.tradingsymbol === b.tradingsymbol && a.product === b.product;
}

function instrumentOf(x: InstrumentProduct): InstrumentProduct {
  return { exchange: x.exchange, tradingsymbol: x.tradingsymbol, product: x.product };
}

/** Share out a reducing fill: own strategy, default, then last in first out; the rest reverses. */
function reduce(
  fill: FillDelta,
  shares: readonly PositionShare[],
  defaultStrategyId: number,
  reason: 'hand-exit' | 'adopted',
): ShareAllocation[] {
  const sign = sideSign(fill.side);
  const holders = shares.filter((s) => Math.sign(s.quantity) === -sign);
  const rank = (s: PositionShare): number =>
    s.strategy_id === fill.strategy_id ? 0 : s.strategy_id === defaultStrategyId ? 1 : 2;
  holders.sort((a, b) => rank(a) - rank(b) || b.entry_seq - a.entry_seq || b.strategy_id - a.strategy_id);
  const out: ShareAllocation[] = [];
  let left = fill.quantity;
  for (const s of holders) {
    if (left === 0) break;
    const take = Math.min(left, Math.abs(s.quantity));
    left -= take;
    const whose =
      s.strategy_id === fill.strategy_id
        ? 'its own strategy'
        : s.strategy_id === defaultStrategyId
          ? 'default'
          : 'the most recent entry';
    out.push({
      ...instrumentOf(fill),
      strategy_id: s.strategy_id,
      quantity: sign * take,
      reason,
      explanation: `${fill.side} ${take} of ${fill.quantity} closes ${Math.abs(s.quantity)} held (${whose})`,
    });
  }
  if (left > 0) {
    out.push({
      ...instrumentOf(fill),
      strategy_id: fill.strategy_id,
      quantity: sign * left,
      reason: 'reversal',
      explanation: `${fill.side} ${left} of ${fill.quantity} goes past every holding: the position reverses`,
    });
  }
  return out;
}

/** The account's position per instrument and product, as one broker snapshot shows it. */
export type AccountSnapshot = ReadonlyMap<string, number>;

/** `EXCHANGE|SYMBOL|PRODUCT`: the key of an account position. */
export function instrumentKey(x: InstrumentProduct): string {
  return `${x.exchange}|${x.tradingsymbol}|${x.product}`;
}

/**
 * The account's quantity per instrument and product: the broker's net positions, and for CNC
 * also the holdings a delivery position settles into (settled plus T+1; a holding sold today
 * shows as a negative CNC position until it settles, so the two add up).
 */
export function accountQuantities(
  net: readonly (InstrumentProduct & { quantity: number })[],
  holdings: readonly { exchange: string; tradingsymbol: string; quantity: number; t1_quantity: number }[],
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, q: number) => out.set(key, (out.get(key) ?? 0) + q);
  for (const p of net) add(instrumentKey(p), p.quantity);
  for (const h of holdings) add(instrumentKey({ ...h, product: 'CNC' }), h.quantity + h.t1_quantity);
  return out;
}

/**
 * How long after the last fill in an instrument its position snapshots are trusted to include
 * it: the broker's positions follow its order updates by well under a second.
 */
export const POSITION_SETTLE_MS = 3_000;

/**
 * Adoptions due after a positions snapshot. A difference between the account and the shares
 * is adopted only once the broker has settled on it: the account shows the same quantity in
 * two snapshots in a row, and the earlier one was asked for at least `settleMs` after the last
 * fill som took in for that instrument (a fill the broker's positions have not caught up with
 * yet is not a difference). Times are the host's, in milliseconds.
 */
export function planAdoptions(input: {
  now: AccountSnapshot;
  previous: { quantities: AccountSnapshot; requestedAt: number } | null;
  shares: readonly PositionShare[];
  /** When som last took in a fill for the instrument (undefined: none since start). */
  lastFillAt: (key: string) => number | undefined;
  defaultStrategyId: number;
  settleMs?: number;
}): ShareAllocation[] {
  const { previous } = input;
  if (!previous) return [];
  const settle = input.settleMs ?? POSITION_SETTLE_MS;
  const keys = new Set<string>([...input.now.keys(), ...input.shares.map(instrumentKey)]);
  const out: ShareAllocation[] = [];
  for (const key of keys) {
    const quantity = input.now.get(key) ?? 0;
    if ((previous.quantities.get(key) ?? 0) !== quantity) continue;
    const fillAt = input.lastFillAt(key);
    if (fillAt !== undefined && fillAt + settle > previous.requestedAt) continue;
    const [exchange = '', tradingsymbol = '', product = ''] = key.split('|');
    out.push(...adoptResidual({ exchange, tradingsymbol, product }, quantity, input.shares, input.defaultStrategyId));
  }
  return out;
}
