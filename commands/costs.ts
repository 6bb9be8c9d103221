import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  COST_PRODUCTS,
  type CostLegInput,
  type MarginCheckView,
  type SegmentFunds,
} from '../src/protocol/methods/costs.js';
import type { ParamsIn, ResultOf } from '../src/protocol/methods.js';
import { action, usageError } from './context.js';
import { paint } from './ui/color.js';
import { renderCostBox } from './ui/cost-box.js';
import { formatRupees } from './ui/format.js';
import { renderRecord, renderTable } from './ui/table.js';

type LegIn = ParamsIn<'costs.calculate'>['instruments'][number];

const strategyRef = (s: string | undefined) => (s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : s);

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n <= 0)
      throw usageError(`${flag} must be a whole number greater than 0, not "${value}"`);
    return n;
  };
}

function positivePrice(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw usageError(`${flag} must be a price greater than 0, not "${value}"`);
    return n;
  };
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw usageError(`--date must be a date as YYYY-MM-DD, not "${value}"`);
  }
  return value;
}

/**
 * The seed's request body, `{"instruments": [...]}`, from a file or `-` (standard input). Only
 * the shape is checked here; the daemon judges every leg and names the one that is wrong.
 */
export function readBasket(path: string, readStdin: () => string = () => readFileSync(0, 'utf8')): LegIn[] {
  const where = path === '-' ? 'standard input' : path;
  let text: string;
  try {
    text = path === '-' ? readStdin() : readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usageError(`${where} is not JSON: ${(err as Error).message}`);
  }
  const instruments = (doc as { instruments?: unknown } | null)?.instruments;
  if (!Array.isArray(instruments)) {
    throw usageError(`${where}: expected {"instruments": [{"symbol", "quantity", "price", "side", "product"}, ...]}`);
  }
  return instruments as LegIn[];
}

interface CostsFlags {
  file?: string;
  qty?: number;
  price?: number;
  side?: string;
  product?: string;
  exitPrice?: number;
  date?: string;
  strategy?: string;
  margin: boolean;
}

/** The legs of `som costs`: a file, standard input, or one leg from flags (never two sources). */
function costLegs(instrument: string | undefined, f: CostsFlags): LegIn[] {
  const legFlags = ['qty', 'price', 'side', 'product', 'exitPrice'] as const;
  const given = legFlags.filter((k) => f[k] !== undefined);
  const file = f.file ?? (instrument === '-' ? '-' : undefined);
  if (file !== undefined) {
    if (instrument !== undefined && instrument !== '-')
      throw usageError('give one instrument with flags, or a basket with --file, not both');
    if (given.length > 0)
      throw usageError(
        `--${given.map((k) => (k === 'exitPrice' ? 'exit-price' : k)).join(', --')} describe a single leg; put them in the file's legs instead`,
      );
    return readBasket(file);
  }
  if (instrument === undefined)
    throw usageError(
      'say what to cost: EXCHANGE:SYMBOL with --qty --price --side --product, or --file F (- for standard input)',
    );
  const missing = (['qty', 'side', 'product'] as const).filter((k) => f[k] === undefined);
  if (missing.length > 0) throw usageError(`${instrument}: give ${missing.map((k) => `--${k}`).join(', ')}`);
  // --price is not enforced here: the daemon's message for a leg without a price is the same for files and flags.
  return [
    {
      symbol: instrument,
      quantity: f.qty!,
      side: f.side!,
      product: f.product! as CostLegInput['product'],
      ...(f.price !== undefined ? { price: f.price } : {}),
      ...(f.exitPrice !== undefined ? { exit_price: f.exitPrice } : {}),
    },
  ];
}

function marginMark(m: MarginCheckView): string {
  return m.can_execute ? paint.ok('✓ OK') : paint.bad('✗ NOT OK');
}

export function renderMarginCalculation(r: ResultOf<'margin.calculate'>): string {
  const who = r.strategy === null ? 'the account' : `strategy ${r.strategy}`;
  if (r.legs.length === 0) return `${who}: no open legs and none proposed`;
  const parts = [
    renderTable(
      ['', 'symbol', 'side', 'qty', 'product', 'price'],
      r.legs.map((l) => [
        l.source === 'position' ? 'open' : 'proposed',
        `${l.exchange}:${l.tradingsymbol}`,
        l.side,
        l.quantity,
        l.product,
        l.price === null ? 'last' : formatRupees(l.price),
      ]),
    ),
  ];
  const record: [string, string][] = [];
  if (r.open)
    record.push([`open legs (${who})`, `${formatRupees(r.open.final)}  (legs alone ${formatRupees(r.open.initial)})`]);
  if (r.with_proposed)
    record.push([
      'open + proposed',
      `${formatRupees(r.with_proposed.final)}  (legs alone ${formatRupees(r.with_proposed.initial)})`,
    ]);
  if (r.margin) {
    const m = r.margin;
    record.push(
      ['proposed needs', `${formatRupees(m.required)}  (on top of the account's positions)`],
      ['available', formatRupees(m.available)],
      ['remaining', formatRupees(m.remaining)],
      [`with ${m.margin_buffer_pct}% buffer`, `${formatRupees(m.required_with_buffer)}  ${marginMark(m)}`],
    );
  }
  parts.push(renderRecord(record));
  if (r.warnings.length) parts.push(r.warnings.map((w) => `${paint.warn('!')} ${w.code}: ${w.message}`).join('\n'));
  return parts.join('\n\n');
}

export function renderFunds(r: ResultOf<'margin.available'>): string {
  const segments = (['equity', 'commodity'] as const).filter((s) => r[s] !== null);
  if (segments.length === 0) return 'the broker reported no fund segments';
  const cell = (s: SegmentFunds | null, read: (f: SegmentFunds) => number) => (s ? formatRupees(read(s)) : '-');
  const rows: [string, (f: SegmentFunds) => number][] = [
    ['available (net)', (f) => f.net],
    ['cash', (f) => f.cash],
    ['opening balance', (f) => f.opening_balance],
    ['collateral', (f) => f.collateral],
    ['intraday pay-in', (f) => f.intraday_payin],
    ['used', (f) => f.used],
  ];
  return renderTable(
    ['', ...segments.map((s) => (r[s]!.enabled ? s : `${s} (not enabled)`))],
    rows.map(([label, read]) => [label, ...segments.map((s) => cell(r[s], read))]),
  );
}

export function registerCosts(program: Command): void {
  program
    .command('costs [instrument]')
    .description('every charge of an order or a basket, entry and exit, and the margin it needs, before you trade')
    .option(
      '--file <path>',
      'a basket as the seed\'s body: {"instruments": [{"symbol", "quantity", "price", "side", "product", "exit_price"?}]}; - reads standard input',
    )
    .option('--qty <n>', 'quantity (one leg)', positiveInt('--qty'))
    .option('--price <price>', 'entry price (one leg)', positivePrice('--price'))
    .addOption(new Option('--side <side>', 'BUY or SELL (one leg)').choices(['BUY', 'SELL']))
    .addOption(
      new Option('--product <product>', 'CNC delivery, MIS intraday, NRML derivatives (one leg)').choices([
        ...COST_PRODUCTS,
      ]),
    )
    .option('--exit-price <price>', 'expected exit price (default: the entry price)', positivePrice('--exit-price'))
    .option('--date <YYYY-MM-DD>', 'the trade date whose charge rates apply (default: today, IST)', isoDate)
    .option('--strategy <name>', 'whose margin buffer and utilisation limit apply (default: default)')
    .option('--no-margin', 'charges only: do not ask the broker for margin')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  som costs NSE:SBIN --qty 10 --price 560 --side BUY --product CNC',
        '  som costs --file basket.json --strategy hedged',
        '  cat basket.json | som costs - --json',
        '',
        'Exit codes: 0 done (whether or not the margin suffices: see margin.can_execute); 2 bad input,',
        'naming the leg and the problem; 3 somd not reachable; 5 broker error or no session (the margin',
        'comes from the broker; --no-margin does without it).',
      ].join('\n'),
    )
    .action(
      action(async (ctx, instrument: string | undefined, flags: CostsFlags) => {
        const instruments = costLegs(instrument, flags);
        const strategy = strategyRef(flags.strategy);
        const result = await (await ctx.client()).call('costs.calculate', {
          instruments,
          margin: flags.margin,
          ...(flags.date !== undefined ? { date: flags.date } : {}),
          ...(strategy !== undefined ? { strategy } : {}),
        });
        ctx.print(result, () => renderCostBox(result));
      }),
    );

  program
    .command('margin')
    .description("margin for a strategy's open legs (or the account's) plus proposed ones, against the free margin")
    .option('--strategy <name>', 'the strategy (default: every open position on the account)')
    .option('--file <path>', 'proposed legs as the seed\'s body {"instruments": [...]}; - reads standard input')
    .action(
      action(async (ctx, flags: { strategy?: string; file?: string }) => {
        const strategy = strategyRef(flags.strategy);
        const instruments = flags.file === undefined ? [] : readBasket(flags.file);
        const result = await (await ctx.client()).call('margin.calculate', {
          instruments: instruments.map(({ exit_price: _ignored, ...leg }) => leg),
          ...(strategy !== undefined ? { strategy } : {}),
        });
        ctx.print(result, () => renderMarginCalculation(result));
      }),
    );

  program
    .command('funds')
    .description('free and used margin per segment (equity, commodity), as the broker reports it')
    .action(
      action(async (ctx) => {
        const result = await (await ctx.client()).call('margin.available', {});
        ctx.print(result, () => renderFunds(result));
      }),
    );
}
