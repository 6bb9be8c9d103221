import chalk from 'chalk';

/** chalk already follows NO_COLOR, FORCE_COLOR and whether stdout is a TTY. */
export function useColor(): boolean {
  return chalk.level > 0;
}

export const paint = {
  ok: (s: string) => chalk.green(s),
  bad: (s: string) => chalk.red(s),
  warn: (s: string) => chalk.yellow(s),
  dim: (s: string) => chalk.dim(s),
  bold: (s: string) => chalk.bold(s),
};
