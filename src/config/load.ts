import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { SomError } from '../protocol/errors.js';
import { type Config, configSchema } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when none exists and defaults apply. */
  path: string | null;
}

/**
 * Read and validate the configuration. A missing file at the default location means
 * defaults; a missing file the user named explicitly is an error. Every problem is a
 * CONFIG_INVALID error naming the file, the key path and what was expected.
 */
export function loadConfig(path: string, explicit: boolean): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) {
      return { config: configSchema.parse({}), path: null };
    }
    throw new SomError('CONFIG_INVALID', `cannot read config ${path}: ${(err as Error).message}`);
  }
  return { config: parseConfigText(text, path), path };
}

export function parseConfigText(text: string, path: string): Config {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : '';
    const first = (err as Error).message.split('\n')[0];
    throw new SomError('CONFIG_INVALID', `config ${path}: not valid TOML${where}: ${first}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SomError('CONFIG_INVALID', `config ${path}: ${formatIssues(parsed.error.issues)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** `broker.mode: expected one of "auto"|"paper"|"kite"`; `daemon.colour: unknown key`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .flatMap((issue) => {
      const at = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${at ? `${at}.` : ''}${k}: unknown key`);
      }
      return [`${at || '(top level)'}: ${issue.message}`];
    })
    .join('; ');
}
