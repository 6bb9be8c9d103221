import { existsSync } from 'node:fs';
import { renderEodHtml } from '../../src/eod/html.js';
import { buildEodReport } from '../../src/eod/report.js';
import type { EodReport } from '../../src/eod/types.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import type { JobRunResult } from '../../src/protocol/methods/admin.js';
import type { Store } from '../../src/store/database.js';
import { getEodReport, loadEodInputs, storeEodReport } from '../../src/store/eod.js';
import { formatRupees } from '../../src/util/rupees.js';
import type { Reconciler } from '../account/reconciler.js';
import type { Housekeeper } from '../housekeeping/housekeeper.js';
import type { Logger } from '../logger.js';
import { reportPath, writeFileAtomically } from './report-file.js';

export interface EndOfDayDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The state directory: the HTML report goes in its `reports/`. */
  home: string;
  reconciler: Reconciler;
  housekeeper: Housekeeper;
  /** Run the jobs the day still owes (the scheduler's `runOwed`). */
  runOwed(now: Date, except: readonly string[]): Promise<JobRunResult[]>;
}

/** Jobs end of day does not run as owed: itself, and the reconciliation it runs anyway. */
const NOT_OWED = ['eod', 'reconcile'];

/**
 * The end of a trading day: the jobs the day still owes, a reconciliation round (orders matched
 * with the broker's order book), a last orphan sweep, then the report (src/eod/report.ts) kept
 * with the day's completed orders archived, and written as a self-contained HTML file in the
 * state directory.
 */
export class EndOfDay {
  readonly #d: EndOfDayDeps;

  constructor(deps: EndOfDayDeps) {
    this.#d = deps;
  }

  /** The whole run; returns a one-line summary. */
  async run(now: Date): Promise<string> {
    const { store, clock, logger } = this.#d;
    const owed = await this.#d.runOwed(now, NOT_OWED);
    let brokerOrderIds: ReadonlySet<string> | null = null;
    let reconciled = 'reconciled';
    try {
      brokerOrderIds = (await this.#d.reconciler.round('eod')).brokerOrderIds;
    } catch (err) {
      reconciled = `not reconciled (${(err as Error).message})`;
      logger.warn('eod.reconcile_failed', { error: (err as Error).message });
    }
    await this.#d.housekeeper.sweep('eod');
    const day = istDate(now);
    const inputs = await loadEodInputs(store.db, day, { generatedAt: clock.now(), preliminary: false, brokerOrderIds });
    const report = buildEodReport({ ...inputs, archived: inputs.archivable.length });
    const path = reportPath(this.#d.home, day);
    const summary =
      `${day}: net ${formatRupees(report.totals.net)} (charges ${formatRupees(report.totals.charges.total)}) over ` +
      `${report.strategies.length} strategies, ${report.totals.trades} trades; ${reconciled}, ` +
      `${report.metrics.discrepancies_at_eod.value ?? '?'} discrepancies left; ` +
      `${owed.length} owed jobs run; ${inputs.archivable.length} orders archived; report ${path}`;
    await storeEodReport(store.db, report, inputs.archivable, summary, clock.now());
    await writeFileAtomically(path, (write) => write(renderEodHtml(report)));
    return summary;
  }

  /** The stored report of `day` (default: the clock's day), or one built now, preliminary. */
  async report(day?: string): Promise<{ report: EodReport; html_path: string | null }> {
    const { store, clock } = this.#d;
    const date = day ?? istDate(clock.now());
    const stored = await getEodReport(store.db, date);
    const path = reportPath(this.#d.home, date);
    if (stored) return { report: stored, html_path: existsSync(path) ? path : null };
    const inputs = await loadEodInputs(store.db, date, {
      generatedAt: clock.now(),
      preliminary: true,
      brokerOrderIds: null,
    });
    return { report: buildEodReport(inputs), html_path: null };
  }
}
