import { sql, type Kysely } from 'kysely';
import type { Database } from '../kysely/database.js';
import { perDatabase } from '../kysely/match-count-cache.js';
import { ftsString, indexQueryOf } from './sqlite-fts-tables.js';
import { limitOf } from './inline-values.js';

/** An index token is counted up to this many messages: one in more narrows too little. */
export const TOKEN_CAP = 50_000;
/** The terms' index tokens a search looks up at most: the rarest. */
const MAX_TOKENS = 3;

/** Each database's remembered counts of the index's tokens (capped at TOKEN_CAP). */
const tokenCountOf = perDatabase();

/** An index token and how many messages the index lists for it (at most TOKEN_CAP). */
export interface CountedToken {
  token: string;
  count: number;
}

/**
 * The FTS5 table and query that list the messages holding every indexed one of `terms`, as
 * indexQueryOf, but with only their rarest tokens (at most three, each in fewer than
 * TOKEN_CAP messages; all of them where none is): the rows' exact test decides anyway, and
 * FTS5 reads each token's whole list to intersect it. "front desk" over every channel,
 * newest first: `fro ont des esk` (three of them in a tenth of the messages) 2.4 ms,
 * `esk` 1.3; "flight delayed" 1.9 -> 1.0. `rare`: the tokens looked up, rarest first, with
 * their counts (asked once a minute per token); empty where none is under the cap.
 */
export async function rareIndexQueryOf(
  db: Kysely<Database>,
  terms: readonly string[],
): Promise<{ table: string; match: string; rare: CountedToken[] } | null> {
  const query = indexQueryOf(terms);
  if (query === null) return null;
  const counts = tokenCountOf(db);
  const counted = await Promise.all(
    query.tokens.map(async (token) => ({
      token,
      count: await counts.remember(`${query.table}\n${token}`, () =>
        countOf(db, query.table, token),
      ),
    })),
  );
  const rare = counted
    .filter((c) => c.count < TOKEN_CAP)
    .sort((a, b) => a.count - b.count)
    .slice(0, MAX_TOKENS);
  const match = rare.length === 0 ? query.match : rare.map((c) => ftsString(c.token)).join(' AND ');
  return { table: query.table, match, rare };
}

/** How many messages the index lists for `token`, up to TOKEN_CAP. */
async function countOf(db: Kysely<Database>, table: string, token: string): Promise<number> {
  const t = sql.table(table);
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
      SELECT rowid FROM ${t} WHERE ${t} MATCH ${ftsString(token)} ${limitOf(TOKEN_CAP)}
    )`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
