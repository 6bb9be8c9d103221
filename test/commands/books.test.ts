import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { exportHeader, exportLine } from '../../src/audit/export.js';
import { buildEodReport } from '../../src/eod/report.js';
import type { ReconcileRoundView } from '../../src/protocol/methods/books.js';
import { som } from './fake-som.js';

const COUNTS = { QTY_MISMATCH: 0, MISSING: 1, PHANTOM: 1, PRICE_DISCREPANCY: 0, STATUS_MISMATCH: 0 };

function round(over: Partial<ReconcileRoundView> = {}): ReconcileRoundView {
  return {
    at: '2026-11-25T05:45:00.000Z',
    trigger: 'manual',
    strategy: null,
    duration_ms: 120,
    counts: COUNTS,
    healed: 1,
    unhealed: 1,
    discrepancies: [
      {
        id: 'MISSING:order:1',
        kind: 'MISSING',
        record: 'order',
        key: '1',
        strategy: 'default',
        som: null,
        broker: { status: 'COMPLETE' },
        message: 'the broker has order 1 (COMPLETE); som does not',
        healed: true,
        how: "adopted the broker's order",
        unhealed: null,
      },
      {
        id: 'PHANTOM:order:2',
        kind: 'PHANTOM',
        record: 'order',
        key: '2',
        strategy: 'swing',
        som: { status: 'COMPLETE' },
        broker: null,
        message: 'som has order 2 (COMPLETE); the broker does not',
        healed: false,
        how: null,
        unhealed: 'som records fills of an order the broker does not have: left for a person',
      },
    ],
    escalated: [],
    open: [],
    ...over,
  };
}

/** A chained trail of three events, as rows. */
function trail() {
  let prev = GENESIS_HASH;
  return [1, 2, 3].map((id) => {
    const row = {
      id,
      at: `2026-11-25T04:0${id}:00.000Z`,
      type: 'STRATEGY_CREATED',
      strategy_id: id,
      order_id: null,
      payload: `{"name":"s${id}"}`,
    };
    const h = eventHash(prev, row);
    if (!h.ok) throw new Error(h.message);
    const chained = { ...row, prev_hash: prev, hash: h.hash };
    prev = h.hash;
    return chained;
  });
}

describe('som reconcile --data', () => {
  it('asks for a round (of one strategy when named); exit 1 with what is left unhealed', async () => {
    const r = await som(['reconcile', '--data', '--strategy', 'swing'], { 'reconcile.data': () => round() });
    expect(r.calls).toEqual([{ method: 'reconcile.data', params: { strategy: 'swing' } }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('som: 1 difference is left unhealed\n');
    expect(r.stdout).toContain('2 differences (MISSING 1, PHANTOM 1), 1 healed, 1 unhealed');
    expect(r.stdout).toContain('NOT HEALED');
    expect(r.stdout).toContain("adopted the broker's order");
  });

  it('--json is the round itself; exit 0 when everything agrees or was healed', async () => {
    const clean = round({ healed: 0, unhealed: 0, discrepancies: [], counts: { ...COUNTS, MISSING: 0, PHANTOM: 0 } });
    const r = await som(['--json', 'reconcile', '--data'], { 'reconcile.data': () => clean });
    expect(r.calls[0]!.params).toEqual({});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(clean);
    const human = await som(['reconcile', '--data'], { 'reconcile.data': () => clean });
    expect(human.stdout).toMatch(/som's books agree with the broker's\n$/);
  });

  it('without --data it re-reads the account as before', async () => {
    const r = await som(['reconcile'], {
      'reconcile.strategy': () => ({ positions: [], orders: { before: 1, after: 1 }, orphans: [] }),
    });
    expect(r.calls.map((c) => c.method)).toEqual(['reconcile.strategy']);
  });
});

describe('som report eod', () => {
  const report = buildEodReport({
    tradingDay: '2026-11-25',
    generatedAt: '2026-11-25T10:05:00.000Z',
    preliminary: true,
    strategies: [{ id: 2, name: 'scalp' }],
    moves: [
      {
        at: '2026-11-25T04:00:00.000Z',
        strategy_id: 2,
        order_id: '1',
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'MIS',
        quantity: 10,
        price: 800,
      },
      {
        at: '2026-11-25T05:00:00.000Z',
        strategy_id: 2,
        order_id: '2',
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'MIS',
        quantity: -10,
        price: 801.5,
      },
    ],
    shares: [],
    marks: [],
    charges: [],
    orders: [],
    brokerOrderIds: null,
    archived: 0,
    orphans: [],
    alerts: [],
    reconcileRuns: [],
    protection: [],
    snapshots: [],
    marginChecks: [],
  });
  let dir = '';
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('passes the date, prints the report, and writes the HTML where asked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-eod-'));
    const html = join(dir, 'day.html');
    const r = await som(['report', 'eod', '--date', '2026-11-25', '--html', html], {
      'report.eod': () => ({ report, html_path: null }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls[0]!.params).toEqual({ date: '2026-11-25' });
    // 10 x (801.50 - 800) = 15 realised.
    expect(r.stdout).toContain('net 15.00 = realised 15.00 + unrealised 0.00 - charges 0.00; 2 trades');
    expect(r.stdout).toContain('preliminary');
    expect(r.stderr).toBe(`wrote ${html}\n`);
    expect(readFileSync(html, 'utf8')).toContain('<svg id="m2m"');
  });

  it('refuses a date that does not exist, before asking somd', async () => {
    const r = await som(['report', 'eod', '--date', '2026-02-30'], {});
    expect(r.code).toBe(2);
    expect(r.connected).toBe(false);
    expect(r.stderr).toMatch(/February 2026 has 28 days/);
  });
});

describe('som audit verify and export', () => {
  const rows = trail();
  const jsonl = rows.map((r) => exportLine(r, 'jsonl')).join('');
  const csv = exportHeader('csv') + rows.map((r) => exportLine(r, 'csv')).join('');

  it('verifies a file on its own, without somd, in either format', async () => {
    for (const [name, text] of [
      ['copy.jsonl', jsonl],
      ['copy.csv', csv],
      ['copy.txt', csv],
    ] as const) {
      const r = await som(['--json', 'audit', 'verify', '--file', name], {}, { files: { [name]: text } });
      expect(r.connected, name).toBe(false);
      expect(r.code, name).toBe(0);
      expect(JSON.parse(r.stdout), name).toMatchObject({ intact: true, rows: 3, head: { id: 3, hash: rows[2]!.hash } });
    }
  });

  it('names the first broken event of a copy with exit 1', async () => {
    const edited = jsonl.replace('"name":"s2"', '"name":"sx"');
    const r = await som(['audit', 'verify', '--file', 'copy.jsonl'], {}, { files: { 'copy.jsonl': edited } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^copy.jsonl: BROKEN at event 2: changed\n/);
    expect(r.stderr).toMatch(/copy.jsonl is broken at event 2 \(changed\)/);
    const junk = await som(['audit', 'verify', '--file', 'x.jsonl'], {}, { files: { 'x.jsonl': 'not json\n' } });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/x.jsonl is not an audit export: line 1: not JSON/);
  });

  it('the stored trail is verified by somd; a break exits 1', async () => {
    const broken = {
      intact: false,
      problem: 'deleted' as const,
      id: 4,
      missing: { from: 4, to: 4 },
      message: 'event 4 is missing: event 5 does not link to event 3',
      rows: 3,
      head: null,
      start: null,
    };
    const r = await som(['audit', 'verify'], { 'audit.verify': () => broken });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the audit trail is broken at event 4 \(deleted\): event 4 is missing/);
  });

  it('exports page by page to standard output, then records the export', async () => {
    const pages = [
      {
        text: rows
          .slice(0, 2)
          .map((x) => exportLine(x, 'jsonl'))
          .join(''),
        from_id: 1,
        through_id: 3,
        last_id: 2,
      },
      { text: exportLine(rows[2]!, 'jsonl'), from_id: null, through_id: 3, last_id: 3 },
    ];
    let page = 0;
    const r = await som(['audit', 'export', '--format', 'jsonl', '--since', '2026-11-25'], {
      'audit.exportPage': () => {
        const p = pages[page++]!;
        return { ...p, last_hash: rows[p.last_id - 1]!.hash, count: p.last_id === 2 ? 2 : 1, done: p.last_id === 3 };
      },
      'audit.recordExport': () => ({ event_id: 4 }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(jsonl);
    expect(r.calls.map((c) => c.params)).toEqual([
      { format: 'jsonl', since: '2026-11-24T18:30:00.000Z', limit: 5000 },
      { format: 'jsonl', since: '2026-11-24T18:30:00.000Z', after_id: 2, through_id: 3, limit: 5000 },
      {
        format: 'jsonl',
        from_id: 1,
        through_id: 3,
        count: 3,
        last_hash: rows[2]!.hash,
        since: '2026-11-24T18:30:00.000Z',
        until: null,
        destination: null,
      },
    ]);
  });

  it('needs a format, and --out for a JSON summary', async () => {
    expect((await som(['audit', 'export'], {})).stderr).toMatch(/--format is required/);
    const r = await som(['--json', 'audit', 'export', '--format', 'csv'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give --out FILE/);
    expect((await som(['audit', 'export', '--format', 'xml'], {})).stderr).toMatch(/--format must be jsonl or csv/);
  });

  it('som audit still lists the trail, with its filters', async () => {
    const r = await som(['--json', 'audit', '--type', 'AUDIT_EXPORTED', '--limit', '5'], {
      'audit.list': () => ({ events: [] }),
    });
    expect(r.calls[0]!.params).toMatchObject({ type: 'AUDIT_EXPORTED', limit: 5 });
  });
});
