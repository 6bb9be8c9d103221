import type { Kysely } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-broker-state.js';
import * as m003 from './003-cost-breakdowns.js';
import * as m004 from './004-housekeeping.js';
import * as m005 from './005-position-basis.js';
import * as m006 from './006-audit-chain.js';
import * as m007 from './007-smart-execution.js';
import * as m008 from './008-books.js';
import * as m009 from './009-risk.js';
import * as m010 from './010-history-indexes.js';
import * as m011 from './011-armed-exits.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Every migration, in order; the store's `user_version` is the last one applied. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'broker-state', up: m002.up },
  { version: 3, name: 'cost-breakdowns', up: m003.up },
  { version: 4, name: 'housekeeping', up: m004.up },
  { version: 5, name: 'position-basis', up: m005.up },
  { version: 6, name: 'audit-chain', up: m006.up },
  { version: 7, name: 'smart-execution', up: m007.up },
  { version: 8, name: 'books', up: m008.up },
  { version: 9, name: 'risk', up: m009.up },
  { version: 10, name: 'history-indexes', up: m010.up },
  { version: 11, name: 'armed-exits', up: m011.up },
];

/** The newest version: the last migration's (the versions run 1, 2, 3, ... without gaps). */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
