import { SomError } from '../src/protocol/errors.js';
import { VERSION } from '../src/version.js';
import { Command, CommanderError } from './commander.js';
import { type CliDeps, processDeps, reportError, wantsJson } from './context.js';
import { TOP_COMMANDS, type TopCommand } from './manifest.js';
import { preferColor } from './preferences.js';

const EXIT_CODES = `
Exit codes:
  0  done
  1  failed
  2  bad usage or input (unknown strategy, invalid setting, ...)
  3  somd is not running or not reachable
  4  held for approval or blocked by a risk rule
  5  broker error

Every command takes --json: exactly one JSON document on stdout (an {"error": {code, message}}
document when it fails), nothing else there; som events prints a JSON object a line.
Preferences (som config) may make JSON the default; --no-json gives the human output back.`;

/**
 * The command tree for one run. Only the command being run is defined in full (its module is
 * loaded now); with no command, an unknown one or `--help`, the top-level commands stand as
 * their one-line summaries, which is all the root help shows. `all` defines every command.
 */
export async function buildProgram(deps: CliDeps, argv: readonly string[], all = false): Promise<Command> {
  const program = new Command('som')
    .description('smart order manager for Zerodha Kite; talks to somd over its Unix socket')
    .version(VERSION)
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--no-json', 'human output, whatever the preferred output (som config)')
    .option('--socket <path>', 'somd socket (default: $SOM_SOCKET, $XDG_RUNTIME_DIR/som/somd.sock)')
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES)
    .exitOverride();
  const terms = new Map(TOP_COMMANDS.map((c) => [c.name, c.term]));
  const help = program.createHelp();
  program.configureHelp({
    subcommandTerm: (cmd) => (cmd.parent === program ? terms.get(cmd.name()) : undefined) ?? help.subcommandTerm(cmd),
  });
  const wanted = all ? TOP_COMMANDS : commandsFor(argv);
  for (const register of await Promise.all(wanted.map((c) => c.load()))) register(program, deps);
  if (wanted.length === 0) for (const c of TOP_COMMANDS) program.addCommand(new Command(c.name).description(c.summary));
  // Commands are built apart and added, so they take the program's output and exit handling here.
  for (const command of allSubcommands(program)) command.copyInheritedSettings(program);
  return program;
}

/** The top-level command `argv` runs (`som help X` asks about X), or none. */
function commandsFor(argv: readonly string[]): TopCommand[] {
  const operands: string[] = [];
  for (let i = 2; i < argv.length && operands.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--socket') i++;
    else if (!arg.startsWith('-')) operands.push(arg);
  }
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return TOP_COMMANDS.filter((c) => c.name === name);
}

/** Run som with `argv` (node's, script included) against `deps`; the exit code it ends with. */
export async function runSom(argv: string[], deps: CliDeps): Promise<number> {
  preferColor(deps.preferences?.color ?? 'auto');
  const json = wantsJson(
    argv.includes('--no-json') ? false : argv.includes('--json') ? true : undefined,
    deps.preferences ?? {},
  );
  const program = await buildProgram(deps, argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) {
      reportError(deps, err, json);
    } else if (err.exitCode === 0) {
      // Help and version are successes.
      return 0;
    } else {
      // Every other parse failure is bad usage (exit 2); commander has already said why on stderr.
      if (json) reportError(deps, new SomError('INVALID_INPUT', err.message.replace(/^error: /, '')), true);
      deps.exitCode = 2;
    }
  }
  return deps.exitCode;
}

/** The `som` executable. */
export async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  process.exitCode = await runSom(argv, processDeps());
}

/**
 * A reader that goes away before som has written everything (`som orders | head -1`) is normal
 * for a command-line tool: stop writing and end quietly, as git and gh do, instead of dying with
 * a stack trace. Any other stream error is still fatal.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

function allSubcommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allSubcommands(c)]);
}
