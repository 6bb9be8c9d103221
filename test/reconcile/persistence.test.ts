import { describe, expect, it } from 'vitest';
import { type PersistenceState, trackPersistence } from '../../src/reconcile/persistence.js';

const A = 'QTY_MISMATCH:order:251125000000001';
const B = 'PHANTOM:position:NSE:SBIN:MIS';
const at = (hh: string) => `2026-11-25T${hh}:15:00.000Z`;

describe('trackPersistence: escalate a difference found in N consecutive rounds', () => {
  it('escalates once at the Nth round, reports it open until a round no longer finds it', () => {
    const N = 3;
    let state: PersistenceState = {};
    const round = (found: string[], hh: string) => {
      const r = trackPersistence(state, found, at(hh), N);
      state = r.state;
      return { escalate: r.escalate, open: r.open, resolved: r.resolved };
    };
    expect(round([A, B], '04')).toEqual({ escalate: [], open: [], resolved: [] });
    // B gone after one round: resolved, no alert stood for it.
    expect(round([A], '05')).toEqual({ escalate: [], open: [], resolved: [{ id: B, escalated: false }] });
    expect(round([A], '06')).toEqual({ escalate: [A], open: [], resolved: [] });
    expect(state[A]).toEqual({ first_seen: at('04'), last_seen: at('06'), rounds: 3, escalated_at: at('06') });
    expect(round([A], '07')).toEqual({ escalate: [], open: [A], resolved: [] });
    expect(round([], '08')).toEqual({ escalate: [], open: [], resolved: [{ id: A, escalated: true }] });
    // Back again: counted from one.
    expect(round([A], '09')).toEqual({ escalate: [], open: [], resolved: [] });
    expect(state[A]!.rounds).toBe(1);
  });

  it('with N = 1 the first round escalates; an id found twice in a round counts once', () => {
    const r = trackPersistence({}, [A, A], at('04'), 1);
    expect(r.escalate).toEqual([A]);
    expect(r.state[A]!.rounds).toBe(1);
  });
});
