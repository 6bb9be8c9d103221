import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExportFormat } from '../../src/audit/export.js';
import { parseInstant } from '../../src/domain/parse/instant.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { flag } from '../flags.js';
import { parseFormat } from './verify.js';

export interface ExportOptions {
  format?: ExportFormat | undefined;
  since?: string | undefined;
  until?: string | undefined;
  out?: string | undefined;
}

/** Events asked of somd at a time. */
const PAGE = 5000;

/** `som audit export`: the trail with its chain fields, to keep elsewhere and verify on its own. */
export function exportCommand(deps: CliDeps): Command {
  return new Command('export')
    .description(
      'write the audit trail with its hash chain (jsonl or csv) to a file or standard output; ' +
        '`som audit verify --file` checks such a copy on its own',
    )
    .option('--format <format>', 'jsonl or csv', parseFormat)
    .option(
      '--since <when>',
      'from the first event at or after this ISO instant or date (IST midnight)',
      flag('--since', parseInstant),
    )
    .option(
      '--until <when>',
      'up to the last event before this ISO instant or date (IST midnight)',
      flag('--until', (v, f) => parseInstant(v, f)),
    )
    .option('--out <file>', 'write here (whole or not at all) instead of standard output')
    .action(action(deps, (io, flags: ExportOptions) => run(flags, io)));
}

/** Where the pages go: standard output, or a file written whole. */
interface Sink {
  write(text: string): void;
  finish(): void;
  abandon(): void;
}

function fileSink(path: string): Sink {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  return {
    write: (text) => void writeSync(fd, text),
    finish: () => {
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temporary, path);
    },
    abandon: () => {
      closeSync(fd);
      rmSync(temporary, { force: true });
    },
  };
}

/** Page through the export, write it, then have somd record it (AUDIT_EXPORTED). */
export async function run(opts: ExportOptions, io: CommandIO): Promise<void> {
  if (!opts.format) throw usageError('--format is required: jsonl or csv');
  if (io.json && opts.out === undefined) {
    throw usageError('the export itself goes to standard output: give --out FILE to get its summary as JSON');
  }
  const format = opts.format;
  const client = await io.client();
  const destination = opts.out === undefined ? null : resolve(opts.out);
  const sink: Sink =
    destination === null
      ? { write: (t) => io.out(t), finish: () => undefined, abandon: () => undefined }
      : fileSink(destination);
  const summary = {
    from_id: null as number | null,
    through_id: null as number | null,
    count: 0,
    last_hash: null as string | null,
  };
  try {
    let after: number | undefined;
    for (;;) {
      const page = await client.call('audit.exportPage', {
        format,
        ...(opts.since ? { since: opts.since } : {}),
        ...(opts.until ? { until: opts.until } : {}),
        ...(after === undefined ? {} : { after_id: after, through_id: summary.through_id ?? 0 }),
        limit: PAGE,
      });
      sink.write(page.text);
      if (after === undefined) summary.from_id = page.from_id;
      summary.through_id = page.through_id;
      summary.count += page.count;
      if (page.last_id !== null) {
        after = page.last_id;
        summary.last_hash = page.last_hash;
      }
      if (page.done) break;
    }
    sink.finish();
  } catch (err) {
    sink.abandon();
    throw err;
  }
  const { event_id } = await client.call('audit.recordExport', {
    format,
    ...summary,
    since: opts.since ?? null,
    until: opts.until ?? null,
    destination,
  });
  if (destination !== null) {
    await io.print({ file: destination, format, ...summary, event_id }, () =>
      summary.count === 0
        ? `no audit event in that range; wrote an empty ${format} file to ${destination}`
        : `wrote ${summary.count} events (${summary.from_id} to ${summary.through_id}) to ${destination}; head ${summary.last_hash}`,
    );
  }
}
