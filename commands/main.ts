import { Command, CommanderError } from 'commander';
import { SomError } from '../src/protocol/errors.js';
import { VERSION } from '../src/version.js';
import { registerAdmin } from './admin.js';
import { registerAdminLogs } from './admin-logs.js';
import { registerAlerts } from './alerts.js';
import { registerAudit } from './audit.js';
import { reportError } from './context.js';
import { registerCosts } from './costs.js';
import { registerInstruments } from './instruments.js';
import { registerLogin } from './login.js';
import { registerOrders } from './orders.js';
import { registerOrphans } from './orphans.js';
import { registerPaper } from './paper.js';
import { registerSettings } from './settings.js';
import { registerStatus } from './status.js';
import { registerStrategies } from './strategies.js';

const EXIT_CODES = `
Exit codes:
  0  done
  1  failed
  2  bad usage or input (unknown strategy, invalid setting, ...)
  3  somd is not running or not reachable
  4  held for approval or blocked by a risk rule
  5  broker error

Every command takes --json: exactly one JSON document on stdout (an {"error": {code, message}}
document when it fails), nothing else there.`;

export function buildProgram(): Command {
  const program = new Command('som')
    .description('smart order manager for Zerodha Kite; talks to somd over its Unix socket')
    .version(VERSION)
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--socket <path>', 'somd socket (default: $SOM_SOCKET, $XDG_RUNTIME_DIR/som/somd.sock)')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES);
  registerStatus(program);
  registerStrategies(program);
  registerSettings(program);
  registerLogin(program);
  registerOrders(program);
  registerCosts(program);
  registerOrphans(program);
  registerAlerts(program);
  registerAudit(program);
  registerInstruments(program);
  registerAdminLogs(registerAdmin(program));
  registerPaper(program);
  for (const command of [program, ...allSubcommands(program)]) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every other parse failure is bad usage (exit 2).
      if (err.exitCode === 0) return;
      if (argv.includes('--json'))
        reportError(new SomError('INVALID_INPUT', err.message.replace(/^error: /, '')), true);
      process.exitCode = 2;
      return;
    }
    reportError(err, argv.includes('--json'));
  }
}

function allSubcommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allSubcommands(c)]);
}
