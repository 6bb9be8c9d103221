import type { RiskConfig } from '../../src/config/risk.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { unrealisedPnl } from '../../src/pnl/strategy-pnl.js';
import { MIS_SEGMENT_EXCHANGES, type MisPosition, planMisSteps } from '../../src/risk/mis-plan.js';
import { type MisStatus, misStatus, misTimetable } from '../../src/risk/mis-timetable.js';
import type { Store } from '../../src/store/database.js';
import { misStepsTaken, writeMisSteps } from '../../src/store/risk.js';
import type { Logger } from '../logger.js';
import type { RiskMonitor } from './risk-monitor.js';
import type { SquareOffEngine } from './square-off-engine.js';

export interface MisSquareOffDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  monitor: RiskMonitor;
  engine: SquareOffEngine;
  config(): RiskConfig;
}

/**
 * The MIS timetable carried out (src/risk/mis-plan.ts decides): each minute the scheduler asks,
 * the steps due in each segment and not yet taken today are recorded with their warning alert
 * and their square-offs in one transaction, and the square-offs handed to the engine.
 */
export class MisSquareOff {
  readonly #d: MisSquareOffDeps;

  constructor(deps: MisSquareOffDeps) {
    this.#d = deps;
  }

  /** Take the steps due now; a one-line summary for `som admin jobs`. */
  async run(): Promise<string> {
    const now = this.#d.clock.now();
    const { db } = this.#d.store;
    const strategies = this.#d.monitor.strategies();
    const positions: MisPosition[] = this.#d.monitor
      .positions(null)
      .filter((p) => p.product === 'MIS' && p.quantity !== 0)
      .map((p) => ({
        strategy_id: p.strategy_id,
        strategy: strategies.get(p.strategy_id)?.name ?? String(p.strategy_id),
        exchange: p.exchange,
        tradingsymbol: p.tradingsymbol,
        quantity: p.quantity,
        pnl: p.realised + unrealisedPnl(p),
      }));
    const optedOut = new Set([...strategies.values()].filter((s) => !s.settings.auto_square_off_mis).map((s) => s.id));
    const plan = planMisSteps({
      now,
      timetable: misTimetable(this.#d.config()),
      taken: await misStepsTaken(db, istDate(now)),
      positions,
      opted_out: optedOut,
    });
    if (plan.steps.length === 0) {
      return plan.statuses.map((s) => `${s.segment} ${s.phase}`).join(', ');
    }
    const runs = await writeMisSteps(
      db,
      plan,
      (r) => ({
        strategy_id: r.strategy_id,
        cause: r.step === 'force' ? 'mis_force' : 'mis_start',
        products: ['MIS'],
        exchanges: MIS_SEGMENT_EXCHANGES[r.segment],
        escalate_at: r.escalate_at,
      }),
      now,
    );
    await this.#d.engine.kick([...runs.values()]);
    const taken = plan.steps.map((s) => `${s.segment} ${s.step}`).join(', ');
    this.#d.logger.info('mis.steps', { taken, runs: runs.size });
    return `${taken}; ${runs.size} square-off${runs.size === 1 ? '' : 's'}`;
  }

  /** Each segment's phase and steps today. */
  status(): MisStatus[] {
    return misStatus(this.#d.clock.now(), misTimetable(this.#d.config()));
  }
}
