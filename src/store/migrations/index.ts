import type { Kysely } from 'kysely';
import * as m001 from './001-initial.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Every migration, in order; the store's `user_version` is the last one applied. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial', up: m001.up }];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
