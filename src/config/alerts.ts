import { z } from 'zod';

/**
 * `[alerts]`: a command somd runs for every alert it raises, with the alert as JSON on its
 * standard input (notify-send, a Telegram script, a pager). Without `shell = true` the command
 * is run directly, its words split as a shell would split them (quotes and backslashes), but
 * with no expansion of variables, globs or pipes: nothing in an alert can reach a shell.
 */
export const alertsConfigSchema = z
  .object({
    /** The command: one string (split into words), or a list of words; empty for none. */
    exec: z.union([z.string(), z.array(z.string()).min(1)]).default(''),
    /** Run `exec` with /bin/sh -c (for pipes and variables); `exec` must then be one string. */
    shell: z.boolean().default(false),
    /** A run still going after this long is killed, with every process it started (seconds). */
    timeout_seconds: z.number().positive().max(600).default(10),
  })
  .strict()
  .superRefine((c, ctx) => {
    const command = hookCommand(c);
    if (command !== null && 'error' in command)
      ctx.addIssue({ code: 'custom', path: ['exec'], message: command.error });
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The program to run and its arguments; null when no hook is configured. */
export type HookCommand = { file: string; args: string[] } | { error: string } | null;

/** The hook's program and arguments as configured. */
export function hookCommand(c: Pick<AlertsConfig, 'exec' | 'shell'>): HookCommand {
  if (Array.isArray(c.exec)) {
    if (c.shell) return { error: 'with shell = true, exec is one string for /bin/sh -c' };
    const [file, ...args] = c.exec;
    return file ? { file, args } : { error: 'exec names no program' };
  }
  if (c.exec.trim() === '') return null;
  if (c.shell) return { file: '/bin/sh', args: ['-c', c.exec] };
  const words = splitWords(c.exec);
  if ('error' in words) return words;
  const [file, ...args] = words.words;
  return file ? { file, args } : { error: 'exec names no program' };
}

/**
 * A command line split into words as sh splits them, and nothing more: blanks separate words;
 * 'single quotes' keep everything; "double quotes" keep everything but a backslash before
 * `"`, `\`, `$` or a backtick; a backslash outside quotes keeps the next character.
 */
export function splitWords(text: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { error: 'an unclosed single quote' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let closed = false;
      for (i++; i < text.length; i++) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
        else word += d;
      }
      if (!closed) return { error: 'an unclosed double quote' };
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { error: 'a backslash at the end' };
      word += text[++i];
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { words };
}
