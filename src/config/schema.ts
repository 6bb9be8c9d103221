import { z } from 'zod';

/**
 * The daemon's configuration file (TOML). Every key has a default, so an empty or missing
 * file is a valid configuration; unknown keys are errors (a typo must not be silently
 * ignored). config.example.toml documents the same keys; a test keeps the two in step.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const configSchema = z
  .object({
    daemon: z
      .object({
        log_level: z.enum(LOG_LEVELS).default('info'),
        log_format: z.enum(['text', 'json']).default('text'),
      })
      .strict()
      .prefault({}),
    broker: z
      .object({
        /** auto: the real Kite when an api_key is configured, else the paper exchange. */
        mode: z.enum(['auto', 'paper', 'kite']).default('auto'),
        /** Kite Connect app key (public; the secret lives in a 0600 file, never here). */
        api_key: z.string().default(''),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The broker mode a configuration selects, before command-line flags. */
export function configuredMode(config: Config): 'paper' | 'kite' {
  if (config.broker.mode === 'auto') return config.broker.api_key ? 'kite' : 'paper';
  return config.broker.mode;
}
