import { fstatSync } from 'node:fs';
import type { LogLevel } from '../src/config/schema.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** syslog(3) priorities, as journald reads them from a `<N>` at the start of a line. */
const SYSLOG_PRIORITY: Record<LogLevel, number> = { debug: 7, info: 6, warn: 4, error: 3 };

/** Field names whose values never reach a log line, whatever their content. */
const SECRET_FIELD = /secret|token|password|authorization|checksum/i;

export type LogFields = Record<string, unknown>;

/**
 * True when stderr is connected to journald: systemd sets JOURNAL_STREAM to the device and
 * inode of the stream it gave the service, and a service whose stderr was redirected elsewhere
 * (`somd 2>file` in the unit) inherits the variable while no longer writing to it, so both must match.
 */
export function stderrIsJournal(
  env: NodeJS.ProcessEnv = process.env,
  stat: () => { dev: number; ino: number } = () => fstatSync(2),
): boolean {
  const stream = env.JOURNAL_STREAM;
  if (!stream) return false;
  try {
    const { dev, ino } = stat();
    return stream === `${dev}:${ino}`;
  } catch {
    return false;
  }
}

/**
 * One line per event on stderr, for journald: readable `at level event key=value` text, or
 * JSON lines with `--log-format json`. Values of secret-looking fields are redacted here so
 * that no caller can leak them by accident. When stderr is the journal, each line starts with
 * its syslog priority (`<3>` error, `<4>` warn, `<6>` info, `<7>` debug), which journald takes
 * off and keeps as the entry's priority, so `journalctl -p warning` shows warnings and errors.
 */
export class Logger {
  level: LogLevel;
  format: 'text' | 'json';
  readonly #write: (line: string) => void;
  readonly #syslogPrefix: boolean;

  constructor(
    level: LogLevel,
    format: 'text' | 'json',
    write: (line: string) => void = (l) => process.stderr.write(l),
    syslogPrefix = false,
  ) {
    this.level = level;
    this.format = format;
    this.#write = write;
    this.#syslogPrefix = syslogPrefix;
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
    const priority = this.#syslogPrefix ? `<${SYSLOG_PRIORITY[level]}>` : '';
    if (this.format === 'json') {
      this.#write(`${priority}${JSON.stringify({ at, level, event, ...safe })}\n`);
      return;
    }
    const rest = Object.entries(safe)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    this.#write(`${priority}${at} ${level.toUpperCase().padEnd(5)} ${event}${rest ? ` ${rest}` : ''}\n`);
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
