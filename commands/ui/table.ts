import { paint, useColor } from './color.js';

/**
 * Compact tables in the manner of gh and kubectl: a header line, then one line a row, columns
 * two spaces apart, no borders. Numbers are right-aligned. On a terminal the table fits its
 * width: the widest text column is cut (with an ellipsis) until it does; a number is never cut.
 * Piped output is never cut, so a script or `grep` sees every character.
 */

/** A column's heading and how its cells align; a column of numbers aligns right without being told. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export type Cell = string | number;

export interface TableOptions {
  /** The width to fit, in columns; null: as wide as the rows need. Default: the terminal's, when stdout is one. */
  width?: number | null;
}

/** A right-aligned column: amounts, quantities and prices that arrive already formatted as text. */
export const num = (header: string): Column => ({ header, align: 'right' });

const GAP = '  ';
/** A text column is never cut narrower than this: fewer characters say nothing. */
const MIN_TEXT_WIDTH = 6;
const ELLIPSIS = '…';
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The terminal's width when standard output is one, else null (no fitting). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | null {
  return stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : null;
}

/** What a cell shows on screen, without colour codes. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** A table for terminal output; colour (a bold header) only when the output is a colour terminal. */
export function renderTable(
  columns: readonly (string | Column)[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const right = cols.map(
    (c, i) =>
      c.align === 'right' || (c.align === undefined && rows.length > 0 && rows.every((r) => typeof r[i] === 'number')),
  );
  const text = rows.map((r) => cols.map((_, i) => oneLine(r[i] ?? '')));
  const headers = cols.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => visibleLength(r[i]!))));
  const width = options.width === undefined ? terminalWidth() : options.width;
  if (width !== null) fit(widths, right, width);
  const line = (cells: string[], style: (s: string) => string = (s) => s) =>
    cells
      .map((cell, i) => {
        const shown = visibleLength(cell) > widths[i]! ? cut(cell, widths[i]!) : cell;
        const pad = ' '.repeat(widths[i]! - visibleLength(shown));
        if (right[i]) return pad + shown;
        return i === cells.length - 1 ? shown : shown + pad;
      })
      .map(style)
      .join(GAP)
      .trimEnd();
  const header = line(headers, useColor() ? paint.bold : undefined);
  return [header, ...text.map((r) => line(r))].join('\n');
}

/** Narrow the widest text column, again and again, until the table fits `width` or nothing more can be cut. */
function fit(widths: number[], right: readonly boolean[], width: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (right[i] || widths[i]! <= MIN_TEXT_WIDTH) continue;
      if (widest === -1 || widths[i]! > widths[widest]!) widest = i;
    }
    if (widest === -1) return;
    widths[widest] = widths[widest]! - 1;
  }
}

/** A cell's text cut to `width` with an ellipsis (its colour dropped: a cut cell is plain). */
function cut(text: string, width: number): string {
  return `${text.replace(ANSI, '').slice(0, Math.max(0, width - 1))}${ELLIPSIS}`;
}

/** Tables have one line a row: a line break inside a cell becomes a space. */
function oneLine(cell: Cell): string {
  return String(cell).replace(/\s*\n\s*/g, ' ');
}

/** Two columns, label and value, for a single record. */
export function renderRecord(entries: [string, string | number][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
