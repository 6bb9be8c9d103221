import type { LogLevel } from '../src/config/schema.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values never reach a log line, whatever their content. */
const SECRET_FIELD = /secret|token|password|authorization|checksum/i;

export type LogFields = Record<string, unknown>;

/**
 * One line per event on stderr, for journald: readable `at level event key=value` text, or
 * JSON lines with `--log-format json`. Values of secret-looking fields are redacted here so
 * that no caller can leak them by accident.
 */
export class Logger {
  level: LogLevel;
  format: 'text' | 'json';
  readonly #write: (line: string) => void;

  constructor(
    level: LogLevel,
    format: 'text' | 'json',
    write: (line: string) => void = (l) => process.stderr.write(l),
  ) {
    this.level = level;
    this.format = format;
    this.#write = write;
  }

  debug(event: string, fields?: LogFields): void {
    this.#log('debug', event, fields);
  }
  info(event: string, fields?: LogFields): void {
    this.#log('info', event, fields);
  }
  warn(event: string, fields?: LogFields): void {
    this.#log('warn', event, fields);
  }
  error(event: string, fields?: LogFields): void {
    this.#log('error', event, fields);
  }

  #log(level: LogLevel, event: string, fields: LogFields = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const safe = redact(fields);
    const at = new Date().toISOString();
    if (this.format === 'json') {
      this.#write(`${JSON.stringify({ at, level, event, ...safe })}\n`);
      return;
    }
    const rest = Object.entries(safe)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    this.#write(`${at} ${level.toUpperCase().padEnd(5)} ${event}${rest ? ` ${rest}` : ''}\n`);
  }
}

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v;
  return out;
}

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /^[\w./:@+-]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? 'undefined';
}
