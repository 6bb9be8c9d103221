import { type ColorPreference, preferredColor } from '../preferences.js';

/**
 * Colour, for a person at a terminal only, decided as node and gh decide it: FORCE_COLOR turns
 * it on (0 or false: off), else NO_COLOR (https://no-color.org) turns it off, else the user's
 * preference (always, never), and otherwise standard output must be a terminal that is not
 * "dumb". Plain ANSI codes: a colour library costs a command more to load than the rest of its
 * output.
 */
export function useColor(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = process.stdout.isTTY === true,
  preference: ColorPreference = preferredColor(),
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (preference !== 'auto') return preference === 'always';
  return isTTY && env.TERM !== 'dumb';
}

const ESC = String.fromCharCode(27);

/** Text in an SGR style, closed with its own reset so styles nest (bold inside a colour). */
const style = (open: number, close: number) => (text: string) =>
  useColor() ? `${ESC}[${open}m${text}${ESC}[${close}m` : text;

export const paint = {
  ok: style(32, 39),
  bad: style(31, 39),
  warn: style(33, 39),
  dim: style(2, 22),
  bold: style(1, 22),
};
