import { createRequire } from 'node:module';
import type CliTable from 'cli-table3';
import { useColor } from './color.js';

/**
 * cli-table3, required when the first table is drawn: views that only print records (`som
 * status`) never load it, and requiring a CommonJS package skips node's scan of it for exports.
 */
let Table: typeof CliTable | undefined;

/** A plain table for terminal output; colour only when the output is a colour terminal. */
export function renderTable(head: string[], rows: (string | number)[][]): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof CliTable;
  const table = new Table({
    head,
    style: useColor() ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

/** Two columns, label and value, for a single record. */
export function renderRecord(entries: [string, string | number][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
