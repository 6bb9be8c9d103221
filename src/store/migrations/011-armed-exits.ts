import { type Kysely, sql } from 'kysely';

/**
 * `armed_exits`: the tag each open position of a strategy with automatic square-off will carry
 * on its first exit, written while the position is open. A breach sends that exit at once, with
 * its record already on disk, and writes the rest of the breach after it has left. After a
 * crash, an armed tag found in the broker's order book is an exit that left (somd adopts it
 * into a square-off); one not found never did.
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table armed_exits (
      tag text primary key,
      strategy_id integer not null references strategies(id),
      exchange text not null,
      tradingsymbol text not null,
      product text not null,
      armed_at text not null,
      unique (strategy_id, exchange, tradingsymbol, product)
    )`.execute(db);
}
