import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/framing.js';
import { ORDER } from './fixtures.js';

const SOM = resolve(import.meta.dirname, '../../bin/som');

/**
 * The built som with its standard output going to a reader that has already gone away, as in
 * `som --help | head -0`: what it ended with and what it said on stderr.
 */
function somIntoClosedPipe(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [SOM, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code, signal) => done({ code, signal, stderr }));
  });
}

describe('a closed pipe ends som quietly (exit 0, nothing on stderr), as git and gh do', () => {
  let dir: string;
  let server: Server;
  let socket: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-pipe-'));
    socket = join(dir, 'somd.sock');
    // A somd that answers hello and a long order book: far more than a pipe holds.
    const orders = Array.from({ length: 2000 }, (_, i) => ({ ...ORDER, order_id: String(251125000000000 + i) }));
    const answers: Record<string, unknown> = {
      'system.hello': {
        version: '0.1.0',
        protocol: PROTOCOL_VERSION,
        mode: 'paper',
        startedAt: ORDER.updated_at,
        pid: 1,
      },
      'orders.list': { orders },
    };
    server = createServer((conn) => {
      let buffer = '';
      conn.on('error', () => undefined);
      conn.on('data', (chunk) => {
        buffer += chunk.toString();
        for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
          const request = JSON.parse(buffer.slice(0, nl)) as { id: number; method: string };
          buffer = buffer.slice(nl + 1);
          conn.write(`${JSON.stringify({ jsonrpc: '2.0', id: request.id, result: answers[request.method] })}\n`);
        }
      });
    });
    await new Promise<void>((ready) => server.listen(socket, ready));
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    rmSync(dir, { recursive: true, force: true });
  });

  it('som --help', async () => {
    expect(await somIntoClosedPipe(['--help'])).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('som orders --json, mid-document', async () => {
    expect(await somIntoClosedPipe(['--socket', socket, 'orders', '--json'])).toEqual({
      code: 0,
      signal: null,
      stderr: '',
    });
  });
});
