import { describe, expect, it } from 'vitest';
import { type AuditChainRow, eventHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { type ExportFormat, exportHeader, exportLine, parseExport } from '../../src/audit/export.js';
import { verifyChain } from '../../src/audit/verify.js';

/** Three events with awkward values: quotes, commas, a line break, an empty order id, nulls. */
function trail(): AuditChainRow[] {
  const events = [
    { type: 'DAEMON_STARTED', strategy_id: null, order_id: null, payload: '{"mode":"paper","pid":41}' },
    {
      type: 'ORDER_REJECTED',
      strategy_id: 2,
      order_id: '251125000000001',
      // JSON text may break a line between tokens: the CSV field keeps the break inside quotes.
      payload: '{"status_message":"Margin, \\"short\\" by 1,250.50",\n"retry":true}',
    },
    { type: 'SETTINGS_UPDATED', strategy_id: 2, order_id: '', payload: '{"changes":[{"key":"x","to":0.1}]}' },
  ];
  const rows: AuditChainRow[] = [];
  let prev = GENESIS_HASH;
  events.forEach((e, i) => {
    const row = { id: i + 1, at: `2026-11-25T04:0${i}:00.000Z`, ...e };
    const h = eventHash(prev, row);
    if (!h.ok) throw new Error(h.message);
    rows.push({ ...row, prev_hash: prev, hash: h.hash });
    prev = h.hash;
  });
  return rows;
}

const write = (rows: AuditChainRow[], format: ExportFormat) =>
  exportHeader(format) + rows.map((r) => exportLine(r, format)).join('');

function parsed(text: string, format: ExportFormat): AuditChainRow[] {
  const p = parseExport(text, format);
  if (!p.ok) throw new Error(p.message);
  return p.rows;
}

describe('jsonl export', () => {
  it('one JSON object per line with the chain fields; the payload as an object', () => {
    const rows = trail();
    const text = write(rows, 'jsonl');
    const lines = text.split('\n');
    expect(lines).toHaveLength(4); // three events and the empty string after the last "\n"
    expect(JSON.parse(lines[0]!)).toEqual({
      id: 1,
      at: '2026-11-25T04:00:00.000Z',
      type: 'DAEMON_STARTED',
      strategy_id: null,
      order_id: null,
      payload: { mode: 'paper', pid: 41 },
      prev_hash: GENESIS_HASH,
      hash: rows[0]!.hash,
    });
  });

  it('reads back into rows that verify on their own', () => {
    const back = parsed(write(trail(), 'jsonl'), 'jsonl');
    expect(back.map((r) => r.hash)).toEqual(trail().map((r) => r.hash));
    expect(verifyChain(back)).toMatchObject({ intact: true, start: { kind: 'genesis' }, rows: 3 });
  });

  it('an edit to the copy is found in the copy', () => {
    const text = write(trail(), 'jsonl').replace('"pid":41', '"pid":42');
    expect(verifyChain(parsed(text, 'jsonl'))).toMatchObject({ intact: false, problem: 'changed', id: 1 });
  });

  it('a stored payload that is not JSON is exported as text, and shows as changed in the copy', () => {
    const rows = trail();
    rows[1] = { ...rows[1]!, payload: '{"status_message":' };
    const line = exportLine(rows[1]!, 'jsonl');
    expect(JSON.parse(line).payload).toBe('{"status_message":');
    expect(verifyChain(parsed(write(rows, 'jsonl'), 'jsonl'))).toMatchObject({ problem: 'changed', id: 2 });
  });

  it('names the line that is not an event', () => {
    expect(parseExport('{"id":1}\n', 'jsonl')).toEqual({
      ok: false,
      code: 'BAD_EXPORT',
      message: 'line 1: at must be text',
    });
    expect(parseExport(`${write(trail(), 'jsonl')}[1]\n`, 'jsonl')).toMatchObject({
      message: 'line 4: not a JSON object',
    });
    expect(parseExport('nope\n', 'jsonl')).toMatchObject({ message: 'line 1: not JSON' });
  });
});

describe('csv export', () => {
  it('a header, then text quoted, numbers bare, null empty; a line break stays inside its quotes', () => {
    const rows = trail();
    const text = write(rows, 'csv');
    expect(text.startsWith('id,at,type,strategy_id,order_id,payload,prev_hash,hash\r\n')).toBe(true);
    expect(text).toContain(
      `1,"2026-11-25T04:00:00.000Z","DAEMON_STARTED",,,"{""mode"":""paper"",""pid"":41}","${GENESIS_HASH}","${rows[0]!.hash}"\r\n`,
    );
    expect(text).toContain('by 1,250.50"",\n""retry"":true}"');
    // The empty order id is "" (text), unlike the null strategy id and order id of event 1.
    expect(text).toContain(`3,"2026-11-25T04:02:00.000Z","SETTINGS_UPDATED",2,"","{`);
  });

  it('reads back exactly (null and "" apart) and verifies on its own', () => {
    const back = parsed(write(trail(), 'csv'), 'csv');
    expect(back).toEqual(trail());
    expect(verifyChain(back)).toMatchObject({ intact: true, rows: 3 });
  });

  it('a deleted line is found in the copy', () => {
    const lines = write(trail(), 'csv').split('\r\n');
    // lines: header, event 1, event 2 (its payload's line break is a bare "\n"), event 3, ''
    const text = [lines[0], lines[1], lines[3], ''].join('\r\n');
    expect(verifyChain(parsed(text, 'csv'))).toMatchObject({ problem: 'deleted', id: 2 });
  });

  it('names what is wrong with a bad file', () => {
    expect(parseExport('id,at\r\n', 'csv')).toMatchObject({
      message: 'line 1: the header must be id,at,type,strategy_id,order_id,payload,prev_hash,hash',
    });
    const header = 'id,at,type,strategy_id,order_id,payload,prev_hash,hash\r\n';
    expect(parseExport(`${header}1,"a"\r\n`, 'csv')).toMatchObject({ message: 'line 2: 2 fields, expected 8' });
    expect(parseExport(`${header}x,"a","t",,,"{}",,\r\n`, 'csv')).toMatchObject({
      message: 'line 2: id must be a whole number',
    });
    expect(parseExport(`${header}1,"a,"t",,,"{}",,\r\n`, 'csv')).toMatchObject({
      message: 'line 2: text after a closing quote',
    });
    expect(parseExport(`${header}1,"open`, 'csv')).toMatchObject({ message: 'line 2: a quoted field is not closed' });
  });
});
