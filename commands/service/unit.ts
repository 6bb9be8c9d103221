import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the shipped unit is, inside an installation of som. */
export const UNIT_TEMPLATE = join('contrib', 'systemd', 'somd.service');

/**
 * The root of this installation of som: the nearest directory above `from` that holds the
 * shipped unit (the package root, whether som runs from dist/ or from its sources).
 */
export function installationRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, UNIT_TEMPLATE))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The shipped unit with its ExecStart running this node on this installation's somd, with `args`. */
export function unitFor(template: string, node: string, somd: string, args: readonly string[] = []): string {
  const exec = [node, somd, ...args].map(systemdWord).join(' ');
  const lines = template.split('\n');
  const at = lines.findIndex((l) => l.startsWith('ExecStart='));
  if (at === -1) throw new Error(`the unit template has no ExecStart= line`);
  lines[at] = `ExecStart=${exec}`;
  return lines.join('\n');
}

/**
 * One word of a systemd command line: quoted when it holds a blank or a quote, with `%`
 * (specifiers), `$` (variables) and `\` escaped, so a path is taken exactly as it is.
 */
export function systemdWord(word: string): string {
  const escaped = word.replace(/\\/g, '\\\\').replace(/%/g, '%%').replace(/\$/g, '$$$$').replace(/"/g, '\\"');
  return /[\s"'\\]/.test(word) ? `"${escaped}"` : escaped;
}

/** Where `systemctl --user` reads units: $XDG_CONFIG_HOME/systemd/user (~/.config/systemd/user). */
export function userUnitPath(env: NodeJS.ProcessEnv, home: string): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user', 'somd.service');
}
