import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Real processes for end-to-end tests: somd from bin/somd (the built dist/, as a user runs
 * it) on a temporary home and socket, and the real som binary against it.
 */
export const ROOT = resolve(import.meta.dirname, '../..');
const SOMD = join(ROOT, 'bin/somd');
const SOM = join(ROOT, 'bin/som');

export interface TempHome {
  dir: string;
  home: string;
  socket: string;
  cleanup(): void;
}

export function tempHome(): TempHome {
  const dir = mkdtempSync(join(tmpdir(), 'som-e2e-'));
  return {
    dir,
    home: join(dir, 'state'),
    socket: join(dir, 'run', 'somd.sock'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunningSomd {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of ['SOM_HOME', 'SOM_SOCKET', 'SOM_CONFIG', 'STATE_DIRECTORY', 'RUNTIME_DIRECTORY']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

/** Start somd and wait until it answers on its socket. */
export async function startSomd(t: TempHome, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningSomd> {
  const child = spawn(process.execPath, [SOMD, '--home', t.home, '--socket', t.socket, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const running: RunningSomd = {
    child,
    stderr: () => stderr,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  const ready = await Promise.race([waitForSocket(t.socket), exited.then(() => false)]);
  if (!ready) throw new Error(`somd did not start:\n${stderr}`);
  return running;
}

async function waitForSocket(path: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await canConnect(path)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

export function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface SomResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function som(t: TempHome, args: string[], env: NodeJS.ProcessEnv = {}): Promise<SomResult> {
  return runNode(SOM, ['--socket', t.socket, ...args], env);
}

/** som --json ...: the parsed document (the test fails if stdout is not exactly one JSON document). */
export async function somJson<T = any>(t: TempHome, args: string[]): Promise<{ code: number; doc: T; stderr: string }> {
  const r = await som(t, ['--json', ...args]);
  return { code: r.code, doc: JSON.parse(r.stdout) as T, stderr: r.stderr };
}

export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<SomResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: cleanEnv(env) }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A raw connection to the socket for protocol-level tests: send lines, read lines. */
export class RawClient {
  readonly socket: Socket;
  #buffer = '';
  #lines: string[] = [];
  #waiters: ((line: string) => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      for (let nl = this.#buffer.indexOf('\n'); nl !== -1; nl = this.#buffer.indexOf('\n')) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    socket.on('error', () => undefined);
  }

  static open(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  next(timeoutMs = 5000): Promise<any> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response line')), timeoutMs);
      this.#waiters.push((l) => {
        clearTimeout(timer);
        resolve(JSON.parse(l));
      });
    });
  }

  async request(method: string, params?: unknown, id: number | string = 1): Promise<any> {
    this.send(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
