import Table from 'cli-table3';
import { useColor } from './color.js';

/** A plain table for terminal output; colour only when the output is a colour terminal. */
export function renderTable(head: string[], rows: (string | number)[][]): string {
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
