import { verdictReport } from '../../src/audit/verdict.js';
import { verifyAuditTrail } from '../../src/store/audit.js';
import { auditExportPage, recordCheckedExport } from '../../src/store/audit-pages.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { Handler } from './index.js';

const reconcileData: Handler<'reconcile.data'> = async ({ strategy }, ctx) => {
  const strategyId = strategy === undefined ? undefined : (await findStrategy(ctx.store.db, strategy)).id;
  return (await ctx.reconciler.round('manual', strategyId)).view;
};

const reconcileAll: Handler<'admin.reconcileAll'> = async (_params, ctx) => (await ctx.reconciler.round('manual')).view;

const eodReport: Handler<'report.eod'> = async ({ date }, ctx) => ctx.eod.report(date);

const verify: Handler<'audit.verify'> = async (_params, ctx) => verdictReport(await verifyAuditTrail(ctx.store.db));

const exportPage: Handler<'audit.exportPage'> = async (p, ctx) =>
  auditExportPage(ctx.store.db, {
    format: p.format,
    since: p.since,
    until: p.until,
    afterId: p.after_id,
    throughId: p.through_id,
    limit: p.limit,
  });

const recordExport: Handler<'audit.recordExport'> = async (p, ctx) => ({
  event_id: await recordCheckedExport(ctx.store.db, p, ctx.clock.now()),
});

export const booksHandlers = {
  'reconcile.data': reconcileData,
  'admin.reconcileAll': reconcileAll,
  'report.eod': eodReport,
  'audit.verify': verify,
  'audit.exportPage': exportPage,
  'audit.recordExport': recordExport,
};
