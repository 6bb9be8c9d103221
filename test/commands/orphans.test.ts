import { describe, expect, it } from 'vitest';
import type { OrphanView } from '../../src/protocol/methods/housekeeping.js';
import { som } from './fake-som.js';

const ORPHAN: OrphanView = {
  order_id: '251125000000202',
  strategy: 'default',
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  side: 'SELL',
  quantity: 10,
  pending_quantity: 10,
  order_type: 'SL-M',
  role: 'stop',
  reason: 'POSITION_CLOSED',
  parent_position_id: 1,
  detected_at: '2026-11-25T05:00:00.000Z',
  action: 'cancel',
  explanation: 'the position it protected is closed',
};

describe('som orphans', () => {
  it('lists by default, for one strategy when asked', async () => {
    const all = await som(['--json', 'orphans'], { 'orphans.list': () => ({ orphans: [ORPHAN] }) });
    expect(all.calls).toEqual([{ method: 'orphans.list', params: {} }]);
    expect(all.stdout).toBe(`${JSON.stringify({ orphans: [ORPHAN] }, null, 2)}\n`);
    const one = await som(['orphans', 'list', '--strategy', '4'], { 'orphans.list': () => ({ orphans: [] }) });
    expect(one.calls[0]!.params).toEqual({ strategy: 4 });
    expect(one.stdout).toBe('no orphaned orders\n');
  });

  it('cleanup says a dry run sent nothing', async () => {
    const r = await som(['orphans', 'cleanup', '--dry-run'], {
      'orphans.cleanup': () => ({ orphans: [ORPHAN], actions: [], dryRun: true }),
    });
    expect(r.calls[0]!.params).toEqual({ dryRun: true, force: false });
    expect(r.stdout).toMatch(/\(dry run: nothing was sent\)\n$/);
  });

  it('mark carries the note', async () => {
    const r = await som(['orphans', 'mark', ORPHAN.order_id, '--note', 'closed on Kite web'], {
      'orphans.mark': () => ({
        orphan: { ...ORPHAN, reason: 'MANUAL' },
        result: 'cancelled',
        action: { order_id: ORPHAN.order_id, action: 'cancel', result: 'cancelled', failed: false },
      }),
    });
    expect(r.calls[0]!.params).toEqual({ order_id: ORPHAN.order_id, note: 'closed on Kite web' });
    expect(r.stdout).toMatch(/cancelled\n$/);
    expect(r.code).toBe(0);
  });

  it('an order som could not cancel ends cleanup with exit 1, naming it; the document still has every action', async () => {
    const r = await som(['--json', 'orphans', 'cleanup'], {
      'orphans.cleanup': () => ({
        orphans: [ORPHAN],
        actions: [
          { order_id: ORPHAN.order_id, action: 'cancel', result: 'error: 503 Service Unavailable', failed: true },
        ],
        dryRun: false,
      }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not cancel ${ORPHAN.order_id}`);
    expect(JSON.parse(r.stdout).actions[0]).toMatchObject({ failed: true });
  });
});

describe('som oco', () => {
  it('protect reads prices, product and quantity as the other commands do', async () => {
    const r = await som(
      ['oco', 'protect', 'nse:sbin', '--stop', '940', '--target', '1000.5', '--product', 'cnc', '--qty', '5'],
      {
        'oco.protect': () => ({ group: 1, stop: null, target: null, stop_order_id: '1', target_order_id: '2' }),
      },
    );
    expect(r.calls).toEqual([
      {
        method: 'oco.protect',
        params: { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', stop: 940, target: 1000.5, quantity: 5 },
      },
    ]);
    expect(r.stdout).toBe('OCO group 1: stop 1, target 2\n');
  });

  it('a stop that is not a price is refused before somd is asked (no bare Number())', async () => {
    const r = await som(['oco', 'protect', 'NSE:SBIN', '--stop', '94O', '--target', '1000', '--product', 'CNC']);
    expect(r).toMatchObject({
      code: 2,
      connected: false,
      stderr: 'som: --stop must be a number greater than 0, not "94O"\n',
    });
    const mtf = await som(['oco', 'protect', 'NSE:SBIN', '--stop', '940', '--target', '1000', '--product', 'MTF']);
    expect(mtf.stderr).toBe('som: --product must be CNC, MIS or NRML, not "MTF"\n');
  });

  it('link sends the pair', async () => {
    const r = await som(['oco', 'link', '1', '2'], { 'oco.link': () => ({ group: 3, stop: '1', target: '2' }) });
    expect(r.calls[0]!.params).toEqual({ orders: ['1', '2'] });
    expect(r.stdout).toBe('OCO group 3: stop 1, target 2\n');
  });
});

describe('som reconcile', () => {
  it('names the strategy and shows the positions that changed', async () => {
    const r = await som(['reconcile', '--strategy', 'default'], {
      'reconcile.strategy': () => ({
        positions: [
          { strategy: 'default', exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', before: 10, after: 0 },
        ],
        orders: { before: 1, after: 1 },
        orphans: [],
      }),
    });
    expect(r.calls[0]!.params).toEqual({ strategy: 'default' });
    expect(r.stdout).toMatch(/^orders tracked: 1 before, 1 after/);
    expect(r.stdout).toContain('0 *');
  });
});
