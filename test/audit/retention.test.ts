import { describe, expect, it } from 'vitest';
import { planAuditPrune, retentionCutoff } from '../../src/audit/retention.js';
import type { AuditExportRecord } from '../../src/audit/trail-events.js';

describe('retentionCutoff', () => {
  it('IST midnight of the same calendar date, whole years back', () => {
    // 2033-05-10 09:00 IST; 7 years back: 2026-05-10 00:00 IST = 2026-05-09T18:30Z
    expect(retentionCutoff(new Date('2033-05-10T03:30:00Z'), 7).toISOString()).toBe('2026-05-09T18:30:00.000Z');
  });

  it('the IST date, not the UTC one: 00:30 IST on the 10th is still the 9th in UTC', () => {
    // 2033-05-10 00:30 IST = 2033-05-09T19:00Z: the IST date is the 10th
    expect(retentionCutoff(new Date('2033-05-09T19:00:00Z'), 7).toISOString()).toBe('2026-05-09T18:30:00.000Z');
  });

  it('29 February falls back to the 28th (a day more is kept)', () => {
    // 2032-02-29 is a leap day; 2025 has none: 2025-02-28 00:00 IST = 2025-02-27T18:30Z
    expect(retentionCutoff(new Date('2032-02-29T06:00:00Z'), 7).toISOString()).toBe('2025-02-27T18:30:00.000Z');
    // 8 years back lands on a leap year again: 2024-02-29
    expect(retentionCutoff(new Date('2032-02-29T06:00:00Z'), 8).toISOString()).toBe('2024-02-28T18:30:00.000Z');
  });
});

describe('planAuditPrune', () => {
  const now = new Date('2033-05-10T12:30:00Z'); // 18:00 IST
  const cutoff = retentionCutoff(now, 7);
  const prunable = { first_id: 1, through_id: 4000, count: 4000 };
  const exported = (over: Partial<AuditExportRecord> = {}) => ({
    id: 9001,
    at: '2033-05-10T12:00:00.000Z',
    format: 'jsonl' as const,
    from_id: 1,
    through_id: 9000,
    count: 9000,
    last_hash: 'a'.repeat(64),
    since: null,
    until: null,
    destination: '/backup/audit.jsonl',
    ...over,
  });

  it('prunes the old run when an export holds it and no prune ran this month', () => {
    expect(
      planAuditPrune({ now, cutoff, prunable, lastPruneAt: '2033-04-01T12:30:00.000Z', lastExport: exported() }),
    ).toEqual({
      action: 'prune',
      cutoff: '2026-05-09T18:30:00.000Z',
      through_id: 4000,
      count: 4000,
      export_id: 9001,
      message: 'remove 4000 events (1 to 4000) older than 2026-05-09T18:30:00.000Z, exported by event 9001',
    });
  });

  it('nothing old: nothing to do', () => {
    expect(planAuditPrune({ now, cutoff, prunable: null, lastPruneAt: null, lastExport: exported() })).toMatchObject({
      action: 'none',
      reason: 'NOTHING_TO_PRUNE',
    });
  });

  it('at most once a calendar month (IST)', () => {
    // The last prune on 2033-05-01 00:10 IST (2033-04-30T18:40Z): May in IST, though April in UTC.
    expect(
      planAuditPrune({ now, cutoff, prunable, lastPruneAt: '2033-04-30T18:40:00.000Z', lastExport: exported() }),
    ).toMatchObject({ action: 'none', reason: 'PRUNED_THIS_MONTH' });
    // 2033-04-30 23:50 IST (2033-04-30T18:20Z) was April: May may prune.
    expect(
      planAuditPrune({ now, cutoff, prunable, lastPruneAt: '2033-04-30T18:20:00.000Z', lastExport: exported() }),
    ).toMatchObject({ action: 'prune' });
  });

  it('asks for an export first when none holds every event it would remove', () => {
    const needExport = {
      action: 'export',
      from_id: 1,
      through_id: 4000,
      message: 'events 1 to 4000 are older than 2026-05-09T18:30:00.000Z and in no export yet',
    };
    expect(planAuditPrune({ now, cutoff, prunable, lastPruneAt: null, lastExport: null })).toEqual(needExport);
    // An export that stops short of the run, or starts after its beginning, is not enough.
    for (const partial of [exported({ through_id: 3999 }), exported({ from_id: 2 }), exported({ from_id: null })]) {
      expect(planAuditPrune({ now, cutoff, prunable, lastPruneAt: null, lastExport: partial })).toEqual(needExport);
    }
  });
});
