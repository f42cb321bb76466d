import { ChatError, type SearchResponse, type searchRequestSchema } from '@parley/protocol';
import pLimit, { type LimitFunction } from 'p-limit';
import { z } from 'zod';
import { highlightsOf, parseQuery, relevanceOf } from '../search/search-text.js';
import type { MessageRecord, MessageSearch, SearchMatch } from '../storage/storage.js';
import { actingUserId, requireChannel, requireUser } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import type { MessageViews } from './message-views.js';
import { PageCursors } from './page-cursor.js';
import { toChannel } from './wire.js';

/** Matches ranked by relevance: this many of the newest, at most. */
export const RELEVANCE_POOL = 500;

const newestCursorSchema = z.tuple([z.number().int(), z.string()]);
const relevanceCursorSchema = z.tuple([z.string(), z.number().int().nonnegative()]);

/** What `GET /search` asks: its query string as the route parsed it. */
type SearchQuery = z.output<typeof searchRequestSchema>;

/** `GET /search`: the query parsed, the storage asked, the matches ranked and highlighted. */
export class SearchService {
  private readonly cursors: PageCursors;
  /**
   * Searches running, at most `searchConcurrency` (PostgreSQL: twice the cores): the others
   * wait their turn here rather than in the database. Ten searches at once on PostgreSQL
   * took both cores of two, and a send beside them waited for a share: its p50 36-39 ms
   * with ten at once, 25-26 with four, 13-14 with two (lab, a million messages, 50 sends a
   * second). Two cost a quarter of the searches answered (the bench as a user: 332 a
   * second against 429-463 with four or ten: each search's statements and its rows read in
   * the server take turns, and two leave the cores idle between); four cost none. SQLite's
   * reader threads already run two searches' statements at a time; held to two there,
   * searches lost a fifth of their rate.
   */
  private readonly running: LimitFunction;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly views: MessageViews,
  ) {
    this.cursors = new PageCursors(ctx.config.secret);
    this.running = pLimit(ctx.config.searchConcurrency);
    ctx.metrics.watchSearches(() => ({
      running: this.running.activeCount,
      waiting: this.running.pendingCount,
    }));
  }

  search(actor: Actor, req: SearchQuery): Promise<SearchResponse> {
    return this.running(() => this.searchNow(actor, req));
  }

  private async searchNow(actor: Actor, req: SearchQuery): Promise<SearchResponse> {
    const query = parseQuery(req.q);
    if (query === null) {
      throw new ChatError('invalid_request', 'the query has no word or phrase to look for', {
        issues: [{ path: 'q', message: 'give at least one word or phrase that is not excluded' }],
      });
    }
    const readerId = actingUserId(actor, req.as_user_id, true);
    const search: MessageSearch = {
      terms: query.terms,
      excluded: query.excluded,
      readerId,
      cid: req.cid,
      authorId: req.user_id,
      hasAttachments:
        req.has_attachments === undefined ? undefined : req.has_attachments === 'true',
      before: req.before === undefined ? undefined : Date.parse(req.before),
      after: req.after === undefined ? undefined : Date.parse(req.after),
      limit: req.limit + 1,
    };
    if (req.cid !== undefined) {
      await requireChannel(this.ctx.storage, req.cid);
      const asReader: Actor =
        readerId === null || actor.kind === 'user'
          ? actor
          : { kind: 'user', user: { ...(await this.readerRecord(readerId)) } };
      await this.ctx.access.requireReader(asReader, req.cid);
      // An admin reads any channel: their own memberships do not limit a search of one.
      if (asReader.kind === 'user' && asReader.user.role === 'admin') search.readerId = null;
    }
    const key = `search\n${JSON.stringify([req.q, req.cid, req.user_id, readerId, req.before, req.after, req.has_attachments])}`;
    const { page, next } =
      req.sort === 'newest'
        ? await this.newest(search, req.limit, req.cursor, key)
        : await this.byRelevance(search, query.terms, req.limit, req.cursor, key);
    const [messages, channels] = await Promise.all([
      this.views.render(page, readerId),
      this.channelsOf(page),
    ]);
    // By id: render leaves out the messages of users the reader blocked.
    const byId = new Map(messages.map((m) => [m.id, m]));
    return {
      results: page.flatMap((record) => {
        const message = byId.get(record.id);
        if (message === undefined) return [];
        return [
          {
            message,
            channel: channels.get(record.cid)!,
            highlights: highlightsOf(record.text, query.terms),
          },
        ];
      }),
      next_cursor: next,
    };
  }

  private async newest(
    search: MessageSearch,
    limit: number,
    cursor: string | undefined,
    key: string,
  ) {
    if (cursor !== undefined) {
      const [createdAt, id] = this.cursors.decode(key, cursor, newestCursorSchema);
      search.cursor = { createdAt, id };
    }
    const matches = await this.ctx.storage.searchMessages(search);
    const shown = matches.slice(0, limit);
    const last = shown.at(-1);
    const next =
      matches.length > limit && last !== undefined
        ? this.cursors.encode(key, [last.createdAt, last.id])
        : null;
    return { page: await this.recordsOf(shown), next };
  }

  /** The newest RELEVANCE_POOL matches, best first (newer first among equals). */
  private async byRelevance(
    search: MessageSearch,
    terms: readonly string[],
    limit: number,
    cursor: string | undefined,
    key: string,
  ) {
    const offset =
      cursor === undefined ? 0 : this.cursors.decode(key, cursor, relevanceCursorSchema)[1];
    const pool = await this.ctx.storage.searchMessages({ ...search, limit: RELEVANCE_POOL });
    const ranked = pool
      .map((match, order) => ({ match, order, score: relevanceOf(match.searchText, terms) }))
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .map((r) => r.match);
    const next =
      offset + limit < ranked.length
        ? this.cursors.encode(key, ['relevance', offset + limit])
        : null;
    return { page: await this.recordsOf(ranked.slice(offset, offset + limit)), next };
  }

  /**
   * The messages of a page of matches, in its order. One deleted since the search (read
   * just before) is left out rather than shown as found.
   */
  private async recordsOf(matches: readonly SearchMatch[]): Promise<MessageRecord[]> {
    const records = await this.ctx.storage.getMessagesByIds(matches.map((m) => m.id));
    const byId = new Map(records.map((r) => [r.id, r]));
    return matches.flatMap((m) => {
      const record = byId.get(m.id);
      return record === undefined || record.deletedAt !== null ? [] : [record];
    });
  }

  private async channelsOf(messages: readonly MessageRecord[]) {
    const records = await this.ctx.storage.getChannels([...new Set(messages.map((m) => m.cid))]);
    return new Map(records.map((c) => [c.cid, toChannel(c)]));
  }

  private readerRecord(userId: string) {
    return requireUser(this.ctx.storage, userId);
  }
}
