import type { AuditChainRow } from './chain.js';

/**
 * The audit trail as a file to keep elsewhere, with the chain fields, in two formats; and the
 * reading of such a file back into rows, so that the copy can be verified on its own
 * (verify.ts) without the database.
 *
 * jsonl: one event per line, a JSON object with the keys id, at, type, strategy_id, order_id,
 *   payload (the event's JSON object itself, not a string), prev_hash, hash. Lines end in
 *   "\n".
 * csv: RFC 4180 with a header line `id,at,type,strategy_id,order_id,payload,prev_hash,hash`
 *   and lines ending in "\r\n"; payload is its JSON text. Every text value is in double quotes
 *   (a quote inside doubled); numbers are bare; null is an empty field without quotes, so
 *   that null and the empty text ("") stay apart.
 */

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = ['id', 'at', 'type', 'strategy_id', 'order_id', 'payload', 'prev_hash', 'hash'] as const;

/** The first line of an export (the CSV header), or '' for JSON lines. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';
}

function csvText(x: string | null): string {
  return x === null ? '' : `"${x.replaceAll('"', '""')}"`;
}

/**
 * A payload as its JSON value; a stored payload that is not JSON (an edited row) is exported
 * as a JSON string of its text, which no longer matches the event's hash, so the copy shows
 * the edit as the trail does.
 */
function payloadValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One event as a line of the export, line ending included. */
export function exportLine(row: AuditChainRow, format: ExportFormat): string {
  if (format === 'jsonl') {
    const { id, at, type, strategy_id, order_id, prev_hash, hash } = row;
    const payload = payloadValue(row.payload);
    return `${JSON.stringify({ id, at, type, strategy_id, order_id, payload, prev_hash, hash })}\n`;
  }
  return `${[
    String(row.id),
    csvText(row.at),
    csvText(row.type),
    row.strategy_id === null ? '' : String(row.strategy_id),
    csvText(row.order_id),
    csvText(row.payload),
    csvText(row.prev_hash),
    csvText(row.hash),
  ].join(',')}\r\n`;
}

export type ParsedExport = { ok: true; rows: AuditChainRow[] } | { ok: false; code: 'BAD_EXPORT'; message: string };

const bad = (line: number, message: string): ParsedExport => ({
  ok: false,
  code: 'BAD_EXPORT',
  message: `line ${line}: ${message}`,
});

/** A field of a parsed line: its text, and whether it was quoted (only then may it be ""). */
interface CsvField {
  text: string;
  quoted: boolean;
}

/** Split CSV text into records of fields; quoted fields may hold commas and line breaks. */
function csvRecords(text: string): { records: { line: number; fields: CsvField[] }[] } | { error: string } {
  const records: { line: number; fields: CsvField[] }[] = [];
  let fields: CsvField[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < text.length) {
    let field: CsvField;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return { error: `line ${recordLine}: a quoted field is not closed` };
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        value += c;
        i += 1;
      }
      field = { text: value, quoted: true };
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end += 1;
      const value = text.slice(i, end);
      if (value.includes('"')) return { error: `line ${line}: a quote inside an unquoted field` };
      field = { text: value, quoted: false };
      i = end;
    }
    fields.push(field);
    if (i >= text.length) {
      endRecord();
      break;
    }
    const c = text[i];
    if (c === ',') {
      i += 1;
      if (i >= text.length) {
        fields.push({ text: '', quoted: false });
        endRecord();
      }
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') i += 1;
    if (text[i] === '\n' || text[i] === '\r') {
      i += 1;
      line += 1;
      endRecord();
      recordLine = line;
      continue;
    }
    return { error: `line ${line}: text after a closing quote` };
  }
  return { records };
}

function parseCsv(text: string): ParsedExport {
  const split = csvRecords(text);
  if ('error' in split) return { ok: false, code: 'BAD_EXPORT', message: split.error };
  const [header, ...records] = split.records;
  if (!header || header.fields.map((f) => f.text).join(',') !== CSV_COLUMNS.join(',')) {
    return bad(1, `the header must be ${CSV_COLUMNS.join(',')}`);
  }
  const rows: AuditChainRow[] = [];
  for (const { line, fields } of records) {
    if (fields.length === 1 && fields[0]!.text === '' && !fields[0]!.quoted) continue; // a blank line
    if (fields.length !== CSV_COLUMNS.length)
      return bad(line, `${fields.length} fields, expected ${CSV_COLUMNS.length}`);
    // Quoted: text (possibly empty). Bare and empty: null. Bare otherwise: a number.
    const text = (i: number): string | null => {
      const f = fields[i]!;
      return f.quoted || f.text !== '' ? f.text : null;
    };
    const int = (i: number): number | null => {
      const f = fields[i]!;
      if (!f.quoted && f.text === '') return null;
      return /^-?\d+$/.test(f.text) ? Number(f.text) : Number.NaN;
    };
    const row = {
      id: int(0),
      at: text(1),
      type: text(2),
      strategy_id: int(3),
      order_id: text(4),
      payload: text(5),
      prev_hash: text(6),
      hash: text(7),
    };
    const checked = checkRow(row);
    if (typeof checked === 'string') return bad(line, checked);
    rows.push(checked);
  }
  return { ok: true, rows };
}

/** A row read from a file, with the types the chain needs, or what is wrong with it. */
function checkRow(r: Record<string, unknown>): AuditChainRow | string {
  if (!Number.isSafeInteger(r.id)) return 'id must be a whole number';
  if (typeof r.at !== 'string') return 'at must be text';
  if (typeof r.type !== 'string') return 'type must be text';
  if (r.strategy_id !== null && !Number.isSafeInteger(r.strategy_id))
    return 'strategy_id must be a whole number or empty';
  if (r.order_id !== null && typeof r.order_id !== 'string') return 'order_id must be text or empty';
  if (typeof r.payload !== 'string') return 'payload must be JSON text';
  if (r.prev_hash !== null && typeof r.prev_hash !== 'string') return 'prev_hash must be text or empty';
  if (r.hash !== null && typeof r.hash !== 'string') return 'hash must be text or empty';
  return r as unknown as AuditChainRow;
}

function parseJsonl(text: string): ParsedExport {
  const rows: AuditChainRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return bad(i + 1, 'not JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(i + 1, 'not a JSON object');
    const o = value as Record<string, unknown>;
    // The payload's spelling does not matter to the hash (its value does): keep it as JSON text.
    const payload = o.payload === undefined ? undefined : JSON.stringify(o.payload);
    const checked = checkRow({
      ...o,
      strategy_id: o.strategy_id ?? null,
      order_id: o.order_id ?? null,
      prev_hash: o.prev_hash ?? null,
      hash: o.hash ?? null,
      payload,
    });
    if (typeof checked === 'string') return bad(i + 1, checked);
    const { id, at, type, strategy_id, order_id, prev_hash, hash } = checked;
    rows.push({ id, at, type, strategy_id, order_id, payload: checked.payload, prev_hash, hash });
  }
  return { ok: true, rows };
}

/** Read an export back into rows (in the file's order), or say which line is not one. */
export function parseExport(text: string, format: ExportFormat): ParsedExport {
  return format === 'csv' ? parseCsv(text) : parseJsonl(text);
}
