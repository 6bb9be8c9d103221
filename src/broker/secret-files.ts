import { chmodSync, existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { SomError } from '../protocol/errors.js';

/**
 * The two secrets som keeps: the Kite app's api_secret (the user writes it) and the day's
 * access token (som writes it at login). Both live in files only their owner can read; a
 * secret file anyone else can read is refused, as ssh refuses a loose private key.
 */

/** Read the api_secret file: one line, mode 0600 (or stricter). */
export function readApiSecret(path: string): string {
  if (!existsSync(path)) {
    throw new SomError(
      'CONFIG_INVALID',
      `no api_secret file at ${path}: write your Kite app's api_secret there (chmod 600)`,
    );
  }
  assertPrivate(path);
  const secret = readFileSync(path, 'utf8').trim();
  if (!secret) throw new SomError('CONFIG_INVALID', `the api_secret file ${path} is empty`);
  return secret;
}

export const storedSessionSchema = z.object({
  api_key: z.string(),
  user_id: z.string(),
  user_name: z.string(),
  access_token: z.string().min(1),
  login_time: z.string(),
  expires_at: z.string(),
});
/** The access token and what som knows of it, as kept in the token file. */
export type StoredSession = z.infer<typeof storedSessionSchema>;

/** The saved session, or null if there is none (or it is unreadable, which is logged by the caller). */
export function readSessionFile(path: string): StoredSession | null {
  if (!existsSync(path)) return null;
  assertPrivate(path);
  const parsed = storedSessionSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : null;
}

/** Write the session atomically (temp file + rename), mode 0600 from the first byte. */
export function writeSessionFile(path: string, session: StoredSession): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(session)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function removeSessionFile(path: string): void {
  if (existsSync(path)) unlinkSync(path);
}

function assertPrivate(path: string): void {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new SomError(
      'CONFIG_INVALID',
      `${path} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${path}`,
    );
  }
}
