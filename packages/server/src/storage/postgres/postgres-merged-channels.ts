import { sql, type Kysely, type SqlBool } from 'kysely';
import type { MessageSearch } from '../storage.js';
import type { Database } from '../kysely/database.js';
import type { SearchRow, SearchSelect } from '../kysely/message-search.js';
import { scopeOf } from '../kysely/search-scope.js';
import { unseen } from '../kysely/message-search.js';

/**
 * The newest `search.limit` rows `select` leaves in the reader's channels, without testing
 * every message of those channels: each channel is walked newest first along its (cid,
 * created_at, id) index (migration 021) and stops after a few matches.
 *
 * PostgreSQL does not merge such walks by itself (it runs a UNION ALL of one arm per channel
 * as an Append and sorts it: the channel is only a condition of each arm, not part of the
 * order), so the merge takes at most two statements:
 * 1. each channel's newest `share` matches, where `share` is about twice a channel's part
 *    of the page; most pages are then complete: a channel that gave fewer than `share` has
 *    no other, and one whose last match is at or below the page's last has none that
 *    belongs on the page;
 * 2. for each channel whose walk stopped above the page's last row, the matches below where
 *    it stopped, down to that row and no more than the page has room for below it, merged
 *    with the first statement's page.
 * Both sort by PostgreSQL's own order (the id's collation decides ties of time, as in the
 * cursor's condition). A user in 20 channels of 1,000 messages, "speaker slides" (two
 * words, 2 % of the messages together), page of 21: 17.2 -> 3.8 ms.
 *
 * Both keep their plans: the values that differ from call to call (the patterns, the
 * reader, the limits, the arrays, the page's last row) are subqueries' (`(SELECT …)`,
 * unseen), which the plans made for each of the first five calls cannot see either, so
 * they cost what the plan made for any call costs and PostgreSQL keeps that one. Planned at
 * every call, the two statements cost PostgreSQL 1.5 and 1.7 ms (their bind, in the
 * statement log) of a search that ran in 4.4: "speaker slides" as a user in 20 channels of
 * the bench corpus, lab, alternated, 10.1 / 11.6 -> 5.9 / 8.4 ms of PostgreSQL's CPU a
 * search. A plan made for any pattern that does see the other values takes each test for
 * a 0.5 % chance and reads every row of every channel instead of walking (82-221 ms); the
 * path is taken only for words common enough that walking pays (pathOf).
 */
export async function mergedChannels(
  db: Kysely<Database>,
  select: SearchSelect,
  search: MessageSearch & { readerId: string },
): Promise<SearchRow[]> {
  const limit = search.limit;
  const channels = Math.max(1, (await scopeOf(db, search))?.channels ?? 1);
  const share = Math.ceil((2 * limit) / channels) + 1;
  const walked = await db
    .selectFrom('parley_members as r')
    .innerJoinLateral(
      select
        .select('m.cid')
        .where(sql<SqlBool>`m.cid = r.cid`)
        .orderBy('m.created_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(unseen<number>(share, 'int'))
        .as('x'),
      (join) => join.onTrue(),
    )
    .select(['x.cid', 'x.id', 'x.created_at', 'x.search_text'])
    .where('r.user_id', '=', unseen(search.readerId))
    .orderBy('x.created_at', 'desc')
    .orderBy('x.id', 'desc')
    .execute();
  const cut = cutWalks(walked, share, limit);
  const page = walked.slice(0, limit).map(({ cid: _, ...row }) => row);
  if (cut.length === 0) return page;
  let below = select
    .where(sql<SqlBool>`m.cid = b.cid`)
    .where(sql<SqlBool>`(m.created_at, m.id) < (b.created_at, b.id)`);
  // Nothing below the page's last row can be on the page.
  const last = walked[limit - 1];
  if (last !== undefined) {
    below = below.where(
      sql<SqlBool>`(m.created_at, m.id) >= (${unseen(String(last.created_at), 'bigint')}, ${unseen(last.id)})`,
    );
  }
  const more = below
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(sql<number>`b.room`);
  const { rows } = await sql<SearchRow>`
    SELECT id, created_at, search_text FROM (
      SELECT p.id, p.created_at, p.search_text FROM unnest(
        ${unseen(
          page.map((r) => r.id),
          'text[]',
        )},
        ${unseen(
          page.map((r) => String(r.created_at)),
          'bigint[]',
        )},
        ${unseen(
          page.map((r) => r.search_text),
          'text[]',
        )}
      ) AS p (id, created_at, search_text)
      UNION ALL
      SELECT x.id, x.created_at, x.search_text FROM unnest(
        ${unseen(
          cut.map((r) => r.row.cid),
          'text[]',
        )},
        ${unseen(
          cut.map((r) => String(r.row.created_at)),
          'bigint[]',
        )},
        ${unseen(
          cut.map((r) => r.row.id),
          'text[]',
        )},
        ${unseen(
          cut.map((r) => r.room),
          'integer[]',
        )}
      ) AS b (cid, created_at, id, room) CROSS JOIN LATERAL (${more}) AS x
    ) AS u ORDER BY created_at DESC, id DESC LIMIT ${unseen(limit, 'int')}`.execute(db);
  return rows;
}

/**
 * The last row of each channel whose walk stopped (it gave `share` rows) before the page's
 * `limit`th row, in `rows` sorted newest first: that channel may hold more of the page, as
 * many as the `room` left below that row.
 */
function cutWalks<R extends { cid: string }>(
  rows: readonly R[],
  share: number,
  limit: number,
): { row: R; room: number }[] {
  const taken = new Map<string, { count: number; index: number }>();
  rows.forEach((row, index) => {
    const seen = taken.get(row.cid);
    taken.set(row.cid, { count: (seen?.count ?? 0) + 1, index });
  });
  const cut: { row: R; room: number }[] = [];
  for (const { count, index } of taken.values()) {
    if (count === share && index < limit - 1)
      cut.push({ row: rows[index]!, room: limit - 1 - index });
  }
  return cut;
}
