import type { Command } from 'commander';
import { exitCodeFor, SomError, type SomErrorValue } from '../src/protocol/errors.js';
import { resolveSocketPath } from '../src/protocol/socket-path.js';
import { DaemonClient } from './client.js';

export interface GlobalFlags {
  json?: boolean;
  socket?: string;
}

/** What a command's action gets: the output mode and a connection made on first use. */
export interface CommandContext {
  readonly json: boolean;
  readonly socketPath: string;
  client(): Promise<DaemonClient>;
  /** `--json`: the one JSON document; otherwise the human text. */
  print(json: unknown, human: () => string): void;
}

/**
 * Wrap a command's action: build its context, run it, and turn any failure into the
 * documented exit code with one message (on stderr, and as `{"error":...}` on stdout with
 * --json so scripts always get a document).
 */
export function action<A extends unknown[]>(
  run: (ctx: CommandContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals<GlobalFlags>();
    const socketPath = resolveSocketPath(flags.socket);
    let client: DaemonClient | null = null;
    const ctx: CommandContext = {
      json: flags.json === true,
      socketPath,
      client: async () => (client ??= await DaemonClient.connect(socketPath)),
      print: (json, human) => {
        process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${human()}\n`);
      },
    };
    try {
      await run(ctx, ...(args.slice(0, -1) as A));
    } catch (err) {
      reportError(err, ctx.json);
    } finally {
      (client as DaemonClient | null)?.close();
    }
  };
}

export function reportError(err: unknown, json: boolean): void {
  const value: SomErrorValue =
    err instanceof SomError ? err.toValue() : { code: 'FAILED', message: (err as Error)?.message ?? String(err) };
  if (json) process.stdout.write(`${JSON.stringify({ error: value }, null, 2)}\n`);
  process.stderr.write(`som: ${value.message}\n`);
  process.exitCode = exitCodeFor(value.code);
}

/** Bad command-line input found before talking to the daemon: exit 2 with the reason. */
export function usageError(message: string, data?: Record<string, unknown>): SomError {
  return new SomError('INVALID_INPUT', message, data);
}
