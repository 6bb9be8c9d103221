import { EXPORT_FORMATS, type ExportFormat, parseExport } from '../../src/audit/export.js';
import type { VerdictReport } from '../../src/audit/verdict.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';

/** `--format`: one of the export formats. */
export function parseFormat(value: string): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (!format) throw usageError(`--format must be ${EXPORT_FORMATS.join(' or ')}, not ${JSON.stringify(value)}`);
  return format;
}

export interface VerifyOptions {
  file?: string | undefined;
  format?: ExportFormat | undefined;
}

/** `som audit verify [--file F]`: walk the hash chain of the stored trail, or of an export file alone. */
export function verifyCommand(deps: CliDeps): Command {
  return new Command('verify')
    .description(
      "walk the audit trail's hash chain: exit 0 when intact, exit 1 naming the first broken event and how " +
        '(changed, deleted, inserted)',
    )
    .option('--file <path>', 'verify an export (som audit export) on its own, without somd or the trail')
    .option('--format <format>', "jsonl or csv (default: from the file's extension, else its first line)", parseFormat)
    .action(action(deps, (io, flags: VerifyOptions) => run(flags, io)));
}

/** A file's format: the flag's, else its extension's, else a CSV header's presence. */
function formatOf(path: string, text: string, given: ExportFormat | undefined): ExportFormat {
  if (given) return given;
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.jsonl?$/i.test(path)) return 'jsonl';
  return text.startsWith('id,at,type,') ? 'csv' : 'jsonl';
}

/** Verify the stored trail (asking somd) or a file (here, without somd); exit 1 on a break. */
export async function run(opts: VerifyOptions, io: CommandIO): Promise<void> {
  let verdict: VerdictReport;
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = io.readFile(opts.file);
    } catch (err) {
      throw usageError(`cannot read ${opts.file}: ${(err as Error).message}`);
    }
    const [{ verifyChain }, { verdictReport }] = await Promise.all([
      import('../../src/audit/verify.js'),
      import('../../src/audit/verdict.js'),
    ]);
    const parsed = parseExport(text, formatOf(opts.file, text, opts.format));
    if (!parsed.ok) throw usageError(`${opts.file} is not an audit export: ${parsed.message}`);
    // An export of a time range starts after an event it does not hold: its first link is taken as given.
    verdict = verdictReport(verifyChain(parsed.rows, { segment: true }));
  } else {
    verdict = await (await io.client()).call('audit.verify', {});
  }
  const where = opts.file ?? 'the audit trail';
  await io.print(verdict, () =>
    verdict.intact
      ? `${where}: intact, ${verdict.rows} events${verdict.head ? `; head ${verdict.head.id} ${verdict.head.hash}` : ''}${verdict.start ? ` (starts ${verdict.start})` : ''}`
      : `${where}: BROKEN at event ${verdict.id}: ${verdict.problem}\n${verdict.message}`,
  );
  if (!verdict.intact) {
    io.note(`som: ${where} is broken at event ${verdict.id} (${verdict.problem}): ${verdict.message}`);
    io.exitWith(1);
  }
}
