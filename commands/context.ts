import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exitCodeFor, SomError, type SomErrorValue } from '../src/protocol/errors.js';
import { resolveSocketPath } from '../src/protocol/socket-path.js';
import { DaemonClient, type RpcClient } from './client.js';
import { type Preferences, readPreferences } from './preferences.js';

/**
 * What som needs from the world, given to every command so that a test can run a command
 * in-process against a fake somd and read what it printed: how to reach somd, the two output
 * streams, standard input and files, and the environment.
 */
export interface CliDeps {
  connect(socketPath: string): Promise<RpcClient>;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
  readFile(path: string): string;
  env: NodeJS.ProcessEnv;
  /** The exit code som ends with: the last failure's, else 0. */
  exitCode: number;
  /** A person is at a terminal (standard input and output both are one): a command may ask them. */
  interactive?(): boolean;
  /** Resolves when the user interrupts (Ctrl-C): a command that streams ends then. */
  interrupted?(): Promise<void>;
  /** The user's preferences (`som config`); none when not given. */
  preferences?: Preferences;
}

/** The deps of a real run: the socket, the process's streams, the file system. */
export function processDeps(): CliDeps {
  return {
    connect: (socketPath) => DaemonClient.connect(socketPath),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: () => readFileSync(0, 'utf8'),
    readFile: (path) => readFileSync(path, 'utf8'),
    env: process.env,
    exitCode: 0,
    interactive: () => process.stdin.isTTY === true && process.stdout.isTTY === true,
    interrupted: () => new Promise((resolve) => process.once('SIGINT', () => resolve())),
    preferences: readPreferences(process.env, undefined, (text) => void process.stderr.write(`${text}\n`)),
  };
}

export interface GlobalFlags {
  json?: boolean;
  socket?: string;
}

/** What a command's `run` gets: the output mode, a connection made on first use, and its I/O. */
export interface CommandIO {
  readonly json: boolean;
  /** A person at a terminal may be asked (never with --json). */
  readonly interactive: boolean;
  /** The user's preferences (`som config`). */
  readonly preferences: Preferences;
  readonly socketPath: string;
  client(): Promise<RpcClient>;
  /**
   * `--json`: the one JSON document; otherwise the human text, which is only built (and its
   * renderer only loaded) when it is wanted.
   */
  print(json: unknown, human: () => string | Promise<string>): Promise<void>;
  /** A line for the person at the terminal, on stderr (never part of a --json document). */
  note(text: string): void;
  /** Text on stdout as it is (a command whose output is a file's contents: `som audit export`). */
  out(text: string): void;
  /** One line of a stream on stdout (`som events`: a JSON object a line with --json). */
  line(text: string): void;
  /** Resolves when the user interrupts (Ctrl-C); never in a run that cannot be interrupted. */
  interrupted(): Promise<void>;
  /** End with this exit code although the command ran (what it was asked to do did not all happen). */
  exitWith(code: number): void;
  readStdin(): string;
  readFile(path: string): string;
}

/**
 * Wrap a command's action: build its I/O, run it, and turn any failure into the documented
 * exit code with one message (on stderr, and as `{"error":...}` on stdout with --json so
 * scripts always get a document).
 */
export function action<A extends unknown[]>(
  deps: CliDeps,
  run: (io: CommandIO, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals<GlobalFlags>();
    const preferences = deps.preferences ?? {};
    // --socket, then $SOM_SOCKET, then the preference, then systemd's and XDG's places.
    const socketPath = resolveSocketPath(
      flags.socket ?? (deps.env.SOM_SOCKET ? undefined : preferences.socket),
      deps.env,
    );
    const json = wantsJson(flags.json, preferences);
    let client: RpcClient | null = null;
    const io: CommandIO = {
      json,
      preferences,
      interactive: !json && deps.interactive?.() === true,
      socketPath,
      client: async () => (client ??= await deps.connect(socketPath)),
      print: async (json, human) => {
        deps.stdout(io.json ? `${JSON.stringify(json, null, 2)}\n` : `${await human()}\n`);
      },
      note: (text) => deps.stderr(`${text}\n`),
      out: (text) => deps.stdout(text),
      line: (text) => deps.stdout(`${text}\n`),
      interrupted: () => deps.interrupted?.() ?? new Promise<void>(() => undefined),
      exitWith: (code) => {
        deps.exitCode = code;
      },
      readStdin: deps.readStdin,
      readFile: deps.readFile,
    };
    try {
      // Commander passes the parsed options object before the command itself.
      await run(io, ...(args.slice(0, -1) as A));
    } catch (err) {
      reportError(deps, err, io.json);
    } finally {
      (client as RpcClient | null)?.close();
    }
  };
}

/** JSON output: asked for with --json, or the preferred output unless --no-json says otherwise. */
export function wantsJson(flag: boolean | undefined, preferences: Preferences): boolean {
  return flag ?? preferences.output === 'json';
}

/** One failure, reported once: the message on stderr, the document on stdout with --json, the exit code. */
export function reportError(deps: CliDeps, err: unknown, json: boolean): void {
  const value: SomErrorValue =
    err instanceof SomError ? err.toValue() : { code: 'FAILED', message: (err as Error)?.message ?? String(err) };
  if (json) deps.stdout(`${JSON.stringify({ error: value }, null, 2)}\n`);
  deps.stderr(`som: ${value.message}\n`);
  deps.exitCode = exitCodeFor(value.code);
}

/** Bad command-line input found before talking to the daemon: exit 2 with the reason. */
export function usageError(message: string, data?: Record<string, unknown>): SomError {
  return new SomError('INVALID_INPUT', message, data);
}
