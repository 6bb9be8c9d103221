import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { summaryOf } from '../manifest.js';
import { installationRoot, UNIT_TEMPLATE, unitFor, userUnitPath } from './unit.js';

export interface InstallOptions {
  /** Run somd with --paper. */
  paper: boolean;
  /** Print the unit instead of writing it. */
  print: boolean;
}

/** What to run after the unit is written. */
const NEXT_STEPS = [
  'systemctl --user daemon-reload',
  'systemctl --user enable --now somd',
  'loginctl enable-linger "$USER"   # keep somd running while you are logged out',
];

/** `som service install`. */
export function serviceCommand(deps: CliDeps): Command {
  return new Command('service').description(summaryOf('service')).addCommand(
    new Command('install')
      .description('write the systemd user unit for somd, ExecStart set for this installation')
      .option('--user', 'a user unit in $XDG_CONFIG_HOME/systemd/user (the only kind som installs)')
      .option('--paper', 'run somd on the paper exchange whatever its config says')
      .option('--print', 'print the unit on stdout instead of writing it')
      .action(
        action(deps, (io, flags: { paper?: boolean; print?: boolean }) =>
          runInstall({ paper: flags.paper === true, print: flags.print === true }, deps.env, io),
        ),
      ),
  );
}

/** Write (or print) the unit, then say how to start it. */
export async function runInstall(opts: InstallOptions, env: NodeJS.ProcessEnv, io: CommandIO): Promise<void> {
  const root = installationRoot(dirname(fileURLToPath(import.meta.url)));
  if (root === null) throw usageError(`this installation of som has no ${UNIT_TEMPLATE}`);
  const unit = unitFor(
    readFileSync(join(root, UNIT_TEMPLATE), 'utf8'),
    process.execPath,
    join(root, 'bin', 'somd'),
    opts.paper ? ['--paper'] : [],
  );
  if (opts.print) {
    await io.print({ unit }, () => unit.trimEnd());
    return;
  }
  const path = userUnitPath(env, env.HOME || homedir());
  const before = readQuietly(path);
  if (before !== unit) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, unit, { mode: 0o644 });
  }
  const exec = unit
    .split('\n')
    .find((l) => l.startsWith('ExecStart='))!
    .slice('ExecStart='.length);
  const written = before === null ? 'installed' : before === unit ? 'unchanged' : 'updated';
  await io.print({ path, exec_start: exec, result: written, next: NEXT_STEPS }, () =>
    [`${written} ${path}`, `ExecStart=${exec}`, '', 'then:', ...NEXT_STEPS.map((s) => `  ${s}`)].join('\n'),
  );
}

function readQuietly(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
