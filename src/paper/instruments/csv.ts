/**
 * Kite's instrument master CSV (GET /instruments): writing it for the paper exchange and
 * reading it for the real one.
 *
 * The format, as in test/fixtures/kite/instruments_all.csv (Kite writes it with Python's csv
 * module): a header row of the twelve fields; rows ending in CRLF; numbers written the way
 * Python prints a float (`0.0`, `2528.4`, `23500.0`, `0.05`) for last_price, strike and
 * tick_size, and as integers for the two tokens and lot_size; expiry `YYYY-MM-DD` or empty;
 * text unquoted unless it holds a comma, quote or line break (names such as `COX & KINGS` or
 * `ADANI PORT & SEZ` go bare).
 *
 * The reader is more forgiving than the writer: LF or CRLF, quoted fields, integers written as
 * `1.0`, an empty strike or last_price read as 0, columns in any order (by header name).
 */
import { EXCHANGES, type Exchange, type Instrument, type InstrumentType } from '../../domain/instrument.js';
import { isIsoDate } from '../../market/ist.js';

/** Kite's column order. */
export const KITE_CSV_COLUMNS = [
  'instrument_token',
  'exchange_token',
  'tradingsymbol',
  'name',
  'last_price',
  'expiry',
  'strike',
  'tick_size',
  'lot_size',
  'instrument_type',
  'segment',
  'exchange',
] as const;

const LINE_END = '\r\n';

/** A number as Python's `repr(float)` writes it: `0.0`, `23500.0`, `0.05`, `1e-05`. */
export function pythonFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs < 1e-4 || abs >= 1e16) {
    // Python switches to exponent form outside [1e-4, 1e16) and pads the exponent to 2 digits.
    const [mantissa = '', exp = ''] = n.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const s = String(n);
  return Number.isInteger(n) ? `${s}.0` : s;
}

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Kite's instrument master CSV for a list of instruments (extra properties are ignored). */
export function toKiteCsv(instruments: readonly Instrument[]): string {
  const lines = [KITE_CSV_COLUMNS.join(',')];
  for (const i of instruments) {
    lines.push(
      [
        String(i.instrument_token),
        String(i.exchange_token),
        field(i.tradingsymbol),
        field(i.name),
        pythonFloat(i.last_price),
        i.expiry ?? '',
        pythonFloat(i.strike),
        pythonFloat(i.tick_size),
        String(i.lot_size),
        field(i.instrument_type),
        field(i.segment),
        field(i.exchange),
      ].join(','),
    );
  }
  return lines.join(LINE_END) + LINE_END;
}

export type KiteCsvErrorCode = 'KITE_CSV_BAD_HEADER' | 'KITE_CSV_BAD_ROW';

export interface KiteCsvError {
  code: KiteCsvErrorCode;
  message: string;
  /** 1-based line of the problem (the header is line 1). */
  line: number;
}

export interface ParseKiteCsvOptions {
  /** Drop rows that do not parse instead of failing the whole file. */
  skipBadRows?: boolean;
  /** Told about each dropped row when `skipBadRows` is set. */
  onBadRow?: (problem: KiteCsvError) => void;
}

export function isKiteCsvError(x: Instrument[] | KiteCsvError): x is KiteCsvError {
  return !Array.isArray(x);
}

/** Records of a CSV text, each with the line it starts on. RFC 4180 quoting; LF or CRLF. */
function records(text: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let cur = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let sawAny = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cur += c;
      }
      continue;
    }
    if (c === '"' && cur === '') {
      quoted = true;
      sawAny = true;
    } else if (c === ',') {
      fields.push(cur);
      cur = '';
      sawAny = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(cur);
      if (sawAny || fields.some((f) => f !== '')) out.push({ line: start, fields });
      fields = [];
      cur = '';
      sawAny = false;
      line++;
      start = line;
    } else {
      cur += c;
      sawAny = true;
    }
  }
  if (sawAny || cur !== '' || fields.length > 0) {
    fields.push(cur);
    out.push({ line: start, fields });
  }
  return out;
}

const INSTRUMENT_TYPES: readonly InstrumentType[] = ['EQ', 'FUT', 'CE', 'PE'];

function integer(text: string): number | null {
  if (!/^-?\d+(?:\.0*)?$/.test(text.trim())) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

function decimal(text: string, emptyAs: number | null): number | null {
  const t = text.trim();
  if (t === '') return emptyAs;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function rowToInstrument(get: (col: (typeof KITE_CSV_COLUMNS)[number]) => string): Instrument | string {
  const instrument_token = integer(get('instrument_token'));
  if (instrument_token === null || instrument_token < 0)
    return `instrument_token ${JSON.stringify(get('instrument_token'))} is not a whole number`;
  const exchange_token = integer(get('exchange_token'));
  if (exchange_token === null || exchange_token < 0)
    return `exchange_token ${JSON.stringify(get('exchange_token'))} is not a whole number`;
  const tradingsymbol = get('tradingsymbol');
  if (tradingsymbol === '') return 'tradingsymbol is empty';
  const last_price = decimal(get('last_price'), 0);
  if (last_price === null) return `last_price ${JSON.stringify(get('last_price'))} is not a number`;
  const expiryText = get('expiry').trim();
  if (expiryText !== '' && !isIsoDate(expiryText))
    return `expiry ${JSON.stringify(expiryText)} is not a YYYY-MM-DD date`;
  const strike = decimal(get('strike'), 0);
  if (strike === null) return `strike ${JSON.stringify(get('strike'))} is not a number`;
  const tick_size = decimal(get('tick_size'), 0);
  if (tick_size === null) return `tick_size ${JSON.stringify(get('tick_size'))} is not a number`;
  const lot_size = integer(get('lot_size'));
  if (lot_size === null || lot_size < 0) return `lot_size ${JSON.stringify(get('lot_size'))} is not a whole number`;
  const instrument_type = get('instrument_type') as InstrumentType;
  if (!INSTRUMENT_TYPES.includes(instrument_type))
    return `instrument_type ${JSON.stringify(instrument_type)} is not one of ${INSTRUMENT_TYPES.join(', ')}`;
  const segment = get('segment');
  if (segment === '') return 'segment is empty';
  const exchange = get('exchange') as Exchange;
  if (!EXCHANGES.includes(exchange))
    return `exchange ${JSON.stringify(exchange)} is not one of ${EXCHANGES.join(', ')}`;
  return {
    instrument_token,
    exchange_token,
    tradingsymbol,
    name: get('name'),
    last_price,
    expiry: expiryText === '' ? null : expiryText,
    strike,
    tick_size,
    lot_size,
    instrument_type,
    segment,
    exchange,
  };
}

/**
 * Read Kite's instrument master CSV. Returns the instruments, or an error value naming the
 * header problem or the first bad row (with `skipBadRows`, bad rows are dropped and reported
 * through `onBadRow` instead).
 */
export function parseKiteCsv(text: string, options: ParseKiteCsvOptions = {}): Instrument[] | KiteCsvError {
  const rows = records(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const header = rows.shift();
  if (!header) return { code: 'KITE_CSV_BAD_HEADER', message: 'the instrument master is empty', line: 1 };
  const index = new Map(header.fields.map((name, i) => [name.trim(), i]));
  const missing = KITE_CSV_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return {
      code: 'KITE_CSV_BAD_HEADER',
      message: `the header lacks column(s) ${missing.join(', ')}`,
      line: header.line,
    };
  }
  const out: Instrument[] = [];
  for (const r of rows) {
    const get = (col: (typeof KITE_CSV_COLUMNS)[number]): string => r.fields[index.get(col) ?? -1] ?? '';
    const result =
      r.fields.length < header.fields.length
        ? `has ${r.fields.length} fields, the header ${header.fields.length}`
        : rowToInstrument(get);
    if (typeof result !== 'string') {
      out.push(result);
      continue;
    }
    const problem: KiteCsvError = { code: 'KITE_CSV_BAD_ROW', message: `line ${r.line}: ${result}`, line: r.line };
    if (!options.skipBadRows) return problem;
    options.onBadRow?.(problem);
  }
  return out;
}
