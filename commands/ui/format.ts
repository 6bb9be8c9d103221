import { istTimestamp } from '../../src/market/ist.js';

/**
 * Presentation of numbers and times for people; JSON output never goes through here. Written
 * out rather than with Intl: its first formatter loads ICU's locale and zone data, which costs
 * a command more than the rest of its output.
 */

export { formatRupees } from '../../src/util/rupees.js';

/** An instant as Asia/Kolkata wall time, `2026-11-24 19:42:35 IST`, whatever the host's zone. */
export function formatIst(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${istTimestamp(d)} IST`;
}

/** 3725 -> "1h 2m 5s". */
export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const parts: string[] = [];
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  parts.push(`${s % 60}s`);
  return parts.join(' ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
