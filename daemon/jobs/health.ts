import type { JobDefinition } from '../scheduler.js';
import type { JobDeps } from './deps.js';

/**
 * API reachability and latency, token validity, WebSocket and tick flow, order latency.
 * Failures pause placement and raise alerts inside the link; recovery undoes both. A failing
 * check fails the run, so `som admin jobs` and `som admin run health` show it as an error.
 */
export function healthJob(deps: JobDeps, schedule: string): JobDefinition {
  return {
    name: 'health',
    schedule,
    description: 'check the broker link: API, session, WebSocket, ticks, order latency',
    run: async () => {
      const summary = await deps.link.healthCheck();
      if (summary !== 'healthy') throw new Error(summary);
      return summary;
    },
  };
}
