import type { Handler } from './index.js';

const jobs: Handler<'admin.jobs'> = async (_params, ctx) => ({ jobs: ctx.scheduler.list() });

const run: Handler<'admin.run'> = async ({ job }, ctx) => {
  ctx.logger.info('job.manual_run', { job });
  return ctx.scheduler.runNow(job);
};

export const adminHandlers = { 'admin.jobs': jobs, 'admin.run': run };
