import { describe, expect, it } from 'vitest';
import { type AuditChainRow, eventHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { AUDIT_PRUNED } from '../../src/audit/trail-events.js';
import { ChainWalker, verifyChain } from '../../src/audit/verify.js';

function hashOf(prev: string, row: Omit<AuditChainRow, 'prev_hash' | 'hash'>): string {
  const h = eventHash(prev, row);
  if (!h.ok) throw new Error(h.message);
  return h.hash;
}

/** Append events to `rows` as som does: each records the hash of the one before. */
function extend(rows: AuditChainRow[], events: { type?: string; payload?: object }[]): AuditChainRow[] {
  const out = [...rows];
  for (const e of events) {
    const last = out[out.length - 1];
    const id = (last?.id ?? 0) + 1;
    const row = {
      id,
      at: new Date(Date.UTC(2026, 10, 25, 4, 0, id)).toISOString(),
      type: e.type ?? 'SETTINGS_UPDATED',
      strategy_id: 1,
      order_id: null,
      payload: JSON.stringify(e.payload ?? { n: id }),
    };
    const prev_hash = last?.hash ?? GENESIS_HASH;
    out.push({ ...row, prev_hash, hash: hashOf(prev_hash, row) });
  }
  return out;
}

const chain = (n: number) =>
  extend(
    [],
    Array.from({ length: n }, () => ({})),
  );
const without = (rows: AuditChainRow[], ...ids: number[]) => rows.filter((r) => !ids.includes(r.id));
const replace = (rows: AuditChainRow[], id: number, change: Partial<AuditChainRow>) =>
  rows.map((r) => (r.id === id ? { ...r, ...change } : r));

describe('an intact chain', () => {
  it('verifies from the genesis hash and names its head', () => {
    const rows = chain(5);
    expect(verifyChain(rows)).toEqual({
      intact: true,
      start: { kind: 'genesis' },
      rows: 5,
      head: { id: 5, hash: rows[4]!.hash },
    });
    expect(verifyChain([])).toEqual({ intact: true, start: null, rows: 0, head: null });
  });

  it('in any order it is given, and in batches through the walker alike', () => {
    const rows = chain(7);
    expect(verifyChain([...rows].reverse())).toMatchObject({ intact: true, rows: 7 });
    const walker = new ChainWalker();
    for (const r of rows) walker.push(r);
    expect(walker.finish()).toEqual(verifyChain(rows));
  });

  it('a gap in ids where the events still link is no break (ids lost before the chain existed)', () => {
    const rows = chain(3);
    const later = { ...rows[2]!, id: 9 };
    later.hash = hashOf(later.prev_hash!, later);
    expect(verifyChain([rows[0]!, rows[1]!, later])).toMatchObject({ intact: true, rows: 3 });
  });
});

describe('changed', () => {
  const rows = chain(5);

  it('an event whose content was edited: its hash no longer matches', () => {
    const edited = replace(rows, 3, { payload: '{"n":33}' });
    expect(verifyChain(edited)).toEqual({
      intact: false,
      problem: 'changed',
      id: 3,
      message: 'event 3 was edited: its content does not match its hash',
      rows: 2,
    });
    for (const change of [
      { at: '2026-01-01T00:00:00.000Z' },
      { type: 'X' },
      { strategy_id: null },
      { order_id: 'O' },
    ]) {
      expect(verifyChain(replace(rows, 4, change))).toMatchObject({ problem: 'changed', id: 4 });
    }
  });

  it('an event whose payload is no longer JSON', () => {
    expect(verifyChain(replace(rows, 2, { payload: '{"n":' }))).toMatchObject({
      problem: 'changed',
      id: 2,
      message: 'event 2 was edited: the payload of event 2 is not JSON',
    });
  });

  it('an event rewritten and given a fresh hash: named by the next event, which still records the old one', () => {
    const rewritten = { ...rows[2]!, payload: '{"n":33}' };
    rewritten.hash = hashOf(rewritten.prev_hash!, rewritten);
    const edited = replace(rows, 3, rewritten);
    expect(verifyChain(edited)).toMatchObject({
      problem: 'changed',
      id: 3,
      message: 'event 3 was rewritten with a new hash: event 4 recorded a different one for it',
    });
    // The same for the event before the last.
    const penultimate = { ...rows[3]!, type: 'X' };
    penultimate.hash = hashOf(penultimate.prev_hash!, penultimate);
    expect(verifyChain(replace(rows, 4, penultimate))).toMatchObject({ problem: 'changed', id: 4 });
  });
});

describe('deleted', () => {
  const rows = chain(6);

  it('one event from the middle: named by its id', () => {
    expect(verifyChain(without(rows, 3))).toEqual({
      intact: false,
      problem: 'deleted',
      id: 3,
      missing: { from: 3, to: 3 },
      message: 'event 3 is missing: event 4 does not link to event 2',
      rows: 2,
    });
  });

  it('a run of events: the first missing id and the range', () => {
    expect(verifyChain(without(rows, 2, 3, 4))).toMatchObject({
      problem: 'deleted',
      id: 2,
      missing: { from: 2, to: 4 },
      message: 'events 2 to 4 are missing: event 5 does not link to event 1',
    });
  });

  it('the first events', () => {
    expect(verifyChain(without(rows, 1, 2))).toMatchObject({
      problem: 'deleted',
      id: 1,
      missing: { from: 1, to: 2 },
      message: 'events 1 to 2 are missing: event 3 links to neither the genesis hash nor a prune anchor',
    });
  });

  it('the newest events leave a shorter intact chain: only the head tells', () => {
    expect(verifyChain(without(rows, 5, 6))).toEqual({
      intact: true,
      start: { kind: 'genesis' },
      rows: 4,
      head: { id: 4, hash: rows[3]!.hash },
    });
  });
});

describe('inserted', () => {
  const rows = chain(5);
  const forged = (id: number, change: Partial<AuditChainRow> = {}): AuditChainRow => ({
    id,
    at: '2026-11-25T05:00:00.000Z',
    type: 'ORDER_PLACED',
    strategy_id: 1,
    order_id: '251125000000009',
    payload: '{}',
    prev_hash: null,
    hash: null,
    ...change,
  });

  it('a row added at the end without chain fields', () => {
    expect(verifyChain([...rows, forged(6)])).toEqual({
      intact: false,
      problem: 'inserted',
      id: 6,
      message: 'event 6 has no chain fields: som did not write it',
      rows: 5,
    });
  });

  it('a row added at the end with made-up chain fields', () => {
    expect(verifyChain([...rows, forged(6, { prev_hash: 'a'.repeat(64), hash: 'b'.repeat(64) })])).toMatchObject({
      problem: 'inserted',
      id: 6,
      message: 'event 6 links to no earlier event: som did not write it',
    });
  });

  it('a row put in the middle, the later events renumbered: the chain goes around it', () => {
    // Events 4 and 5 moved to ids 5 and 6; a forged event takes id 4.
    const moved = [...rows.slice(0, 3), forged(4, { prev_hash: 'c'.repeat(64), hash: 'd'.repeat(64) })];
    moved.push({ ...rows[3]!, id: 5 }, { ...rows[4]!, id: 6 });
    expect(verifyChain(moved)).toMatchObject({
      problem: 'inserted',
      id: 4,
      message: 'event 4 was inserted: event 5 links to event 3 around it',
      rows: 3,
    });
  });

  it('an event repeated (a line copied in an export)', () => {
    expect(verifyChain([...rows, rows[2]!])).toMatchObject({
      problem: 'inserted',
      id: 3,
      message: 'event id 3 appears twice: som did not write the second',
    });
  });

  it('a first event that links to nothing known', () => {
    const first = replace(rows, 1, { prev_hash: 'e'.repeat(64) });
    expect(verifyChain(first)).toMatchObject({
      problem: 'inserted',
      id: 1,
      message: 'event 1 links to neither the genesis hash nor a prune anchor: som did not write it',
    });
  });
});

describe('after a prune, from its anchor', () => {
  // Ten events; events 1 to 4 removed, and the anchor (event 11) records event 4's hash.
  const all = chain(10);
  const anchorPayload = {
    last_pruned_id: 4,
    last_pruned_hash: all[3]!.hash,
    pruned: 4,
    cutoff: '2019-11-25T18:30:00.000Z',
    export_id: 10,
  };
  const pruned = extend(without(all, 1, 2, 3, 4), [{ type: AUDIT_PRUNED, payload: anchorPayload }]);

  it('the rest of the chain verifies, starting after the anchor', () => {
    expect(verifyChain(pruned)).toEqual({
      intact: true,
      start: { kind: 'anchor', anchor_id: 11, last_pruned_id: 4 },
      rows: 7,
      head: { id: 11, hash: pruned[6]!.hash },
    });
  });

  it('events deleted after the anchor are still found', () => {
    expect(verifyChain(without(pruned, 5))).toMatchObject({ problem: 'deleted', id: 5, missing: { from: 5, to: 5 } });
    expect(verifyChain(without(pruned, 7))).toMatchObject({ problem: 'deleted', id: 7 });
  });

  it('an edited anchor is a changed event like any other', () => {
    const edited = replace(pruned, 11, { payload: JSON.stringify({ ...anchorPayload, pruned: 3 }) });
    expect(verifyChain(edited)).toMatchObject({ problem: 'changed', id: 11 });
  });
});

describe('part of a trail (an export of a time range)', () => {
  const part = chain(6).slice(2);

  it('verifies from its first event, whose prev_hash is taken as given', () => {
    expect(verifyChain(part, { segment: true })).toEqual({
      intact: true,
      start: { kind: 'given', prev_hash: part[0]!.prev_hash },
      rows: 4,
      head: { id: 6, hash: part[3]!.hash },
    });
    expect(verifyChain(without(part, 4), { segment: true })).toMatchObject({ problem: 'deleted', id: 4 });
  });

  it('as a whole trail, its first events are missing', () => {
    expect(verifyChain(part)).toMatchObject({ problem: 'deleted', id: 1, missing: { from: 1, to: 2 } });
  });
});
