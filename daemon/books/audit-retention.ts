import { join } from 'node:path';
import { planAuditPrune, retentionCutoff } from '../../src/audit/retention.js';
import type { AuditConfig } from '../../src/config/audit.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { exportAudit, lastAuditExport, lastAuditPrune, prunableAudit, pruneAudit } from '../../src/store/audit.js';
import { recordCheckedExport } from '../../src/store/audit-pages.js';
import type { Store } from '../../src/store/database.js';
import { writeFileAtomically } from './report-file.js';

export interface AuditRetentionDeps {
  store: Store;
  clock: Clock;
  /** The state directory: exports the prune makes go in its `audit-exports/`. */
  home: string;
  config(): AuditConfig;
}

/**
 * The audit trail's retention (src/audit/retention.ts decides): when events are older than the
 * retention and no export holds them yet, export the trail up to the cutoff into the state
 * directory (`audit-exports/`, JSON lines, flushed to disk before it is recorded), then prune
 * at most once a calendar month, leaving the anchor that keeps the rest of the chain
 * verifiable.
 */
export class AuditRetention {
  readonly #d: AuditRetentionDeps;

  constructor(deps: AuditRetentionDeps) {
    this.#d = deps;
  }

  async #plan(now: Date) {
    const { db } = this.#d.store;
    const cutoff = retentionCutoff(now, this.#d.config().retention_years);
    return planAuditPrune({
      now,
      cutoff,
      prunable: await prunableAudit(db, cutoff),
      lastPruneAt: await lastAuditPrune(db),
      lastExport: await lastAuditExport(db),
    });
  }

  /** Export if the prune needs it, then prune if it is due; returns what was done. */
  async run(now: Date): Promise<string> {
    const { db } = this.#d.store;
    let plan = await this.#plan(now);
    let exported = '';
    if (plan.action === 'export') {
      const cutoff = retentionCutoff(now, this.#d.config().retention_years).toISOString();
      const path = join(this.#d.home, 'audit-exports', `audit-${istDate(now)}-to-${plan.through_id}.jsonl`);
      const s = await writeFileAtomically(path, (write) => exportAudit(db, { format: 'jsonl', until: cutoff }, write));
      await recordCheckedExport(
        db,
        { format: 'jsonl', ...s, since: null, until: cutoff, destination: path },
        this.#d.clock.now(),
      );
      exported = `exported ${s.count} events to ${path}; `;
      plan = await this.#plan(now);
    }
    if (plan.action !== 'prune') return `${exported}${plan.message}`;
    const result = await pruneAudit(db, plan, this.#d.clock.now());
    return `${exported}pruned ${result.pruned} events up to ${result.anchor.last_pruned_id}; anchor event ${result.anchor_id}`;
  }
}
