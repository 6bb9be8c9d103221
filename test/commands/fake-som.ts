import type { RpcClient } from '../../commands/client.js';
import type { CliDeps } from '../../commands/context.js';
import { runSom } from '../../commands/main.js';
import type { Preferences } from '../../commands/preferences.js';
import { SomError } from '../../src/protocol/errors.js';
import type { MethodName, ParamsIn, ResultOf } from '../../src/protocol/methods.js';

/** How the fake somd answers a method: a result, or a failure it throws. */
export type Answers = { [M in MethodName]?: (params: ParamsIn<M>) => ResultOf<M> };

export interface SomRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every request som sent, in order. */
  calls: { method: string; params: unknown }[];
  /** Whether som connected to somd at all. */
  connected: boolean;
  /** The socket it connected to. */
  socketPath: string | null;
}

/**
 * Run `som ARGS` in-process against a fake somd that answers from `answers`: what som sent,
 * printed and ended with. A method without an answer is an error, as an unknown method is.
 */
export async function som(
  args: string[],
  answers: Answers = {},
  io: {
    stdin?: string;
    files?: Record<string, string>;
    unreachable?: boolean;
    env?: NodeJS.ProcessEnv;
    preferences?: Preferences;
    /** A person at a terminal (som may ask them); default: no. */
    interactive?: boolean;
    /** The --socket som is given; null: none. */
    socket?: string | null;
  } = {},
): Promise<SomRun> {
  const run: SomRun = { code: 0, stdout: '', stderr: '', calls: [], connected: false, socketPath: null };
  const client: RpcClient = {
    call: async (method, params) => {
      run.calls.push({ method, params });
      const answer = answers[method] as ((p: unknown) => unknown) | undefined;
      if (!answer) throw new SomError('METHOD_NOT_FOUND', `the fake somd has no answer for ${method}`);
      return answer(params) as never;
    },
    close: () => undefined,
  };
  const deps: CliDeps = {
    connect: async (socketPath) => {
      if (io.unreachable) throw new SomError('DAEMON_UNREACHABLE', `somd is not running at ${socketPath}`);
      run.connected = true;
      run.socketPath = socketPath;
      return client;
    },
    stdout: (text) => {
      run.stdout += text;
    },
    stderr: (text) => {
      run.stderr += text;
    },
    readStdin: () => io.stdin ?? '',
    readFile: (path) => {
      const text = io.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    // No colour, no socket from the environment: output is the same on every machine.
    env: { NO_COLOR: '1', ...io.env },
    exitCode: 0,
    ...(io.preferences ? { preferences: io.preferences } : {}),
    ...(io.interactive ? { interactive: () => true } : {}),
  };
  const socket = io.socket === null ? [] : ['--socket', io.socket ?? '/fake/somd.sock'];
  run.code = await runSom(['node', 'som', ...socket, ...args], deps);
  return run;
}
