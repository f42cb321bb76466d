import type {
  AliasedRawBuilder,
  Expression,
  Kysely,
  Selectable,
  SqlBool,
  Transaction,
} from 'kysely';
import type {
  ChannelsTable,
  Database,
  EventsTable,
  MentionsTable,
  MessagesTable,
} from './database.js';
import type { MessageSearch, SearchMatch } from '../storage.js';
import type { SearchRow, SearchSelect } from './message-search.js';

/** A column type of a JSON table. */
export type JsonColumnType = 'text' | 'integer' | 'bigint';

/** A row of a JSON table: plain values only (interfaces qualify, unlike with a Record). */
export type JsonRow<R> = { [K in keyof R]: string | number | null };

/**
 * What KyselyStorage needs to know about a database beyond its Kysely dialect. Queries are
 * written once; anything that differs between databases is a member here, never a
 * `dialect === 'postgres'` test in the storage code.
 */
export interface StorageAdapter {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * True when the error means the database cannot be reached or cannot work (connection
   * refused or lost, file not openable, disk full) rather than a bad query: such errors
   * become StorageUnavailableError.
   */
  isUnavailable(error: unknown): boolean;
  /**
   * `rows` as a derived table named `alias`, passed as one JSON parameter and typed by
   * `columns`. A batch of any size is then one and the same statement, prepared once,
   * where a VALUES list or an IN list would make a new statement for every size.
   */
  jsonTable<R extends JsonRow<R>, A extends string>(
    rows: readonly R[],
    columns: { readonly [K in keyof R & string]: JsonColumnType },
    alias: A,
  ): AliasedRawBuilder<R, A>;
  /** The substring index that search uses over `parley_messages.search_text`. */
  readonly searchIndex: SearchIndex;
  /**
   * Takes the lock named `key` for the rest of the transaction, or answers false at once
   * when another transaction holds it: work only one node at a time may do. (A SQLite
   * file has one writer at a time anyway.)
   */
  tryTransactionLock(trx: Transaction<Database>, key: number): Promise<boolean>;
  /**
   * True when `SELECT … FOR UPDATE SKIP LOCKED` exists (PostgreSQL): nodes sharing the
   * database take disjoint rows of a queue. SQLite has one writer at a time anyway.
   */
  readonly rowLocks: boolean;
  /**
   * Where the database can, writes a send batch whose seqs were taken from the channels'
   * `last_seq` as read before (see send-messages.ts) in one step that commits on its own
   * (PostgreSQL: one statement, one round trip; SQLite: one synchronous transaction of
   * statements prepared once), and returns the channels' rows as updated. The rows of a
   * channel whose `last_seq` moved since are not written and its row is not returned (the
   * caller decides its messages again); when a message id is stored already it changes
   * nothing and throws. Undefined: every batch is written in a Kysely transaction.
   */
  readonly writeSendBatch?: (
    db: Kysely<Database>,
    rows: SendBatchRows,
  ) => Promise<Selectable<ChannelsTable>[]>;
  /**
   * The database that searches read from, where it is not `db` itself (SQLite: reader
   * threads on the same file, see sqlite-readers.ts). Undefined: `db`.
   */
  readonly searchDatabase?: (db: Kysely<Database>) => Kysely<Database>;
  /**
   * Where commits are synced to disk in this process (SQLite: the WAL's fdatasync after
   * each commit), tells `observer` how long each sync took, in seconds. Undefined: the
   * database syncs on its own server (PostgreSQL).
   */
  readonly onDiskSync?: (db: Kysely<Database>, observer: (seconds: number) => void) => void;
  /** The one parameter that `jsonTable(rows, columns, …)` binds. */
  jsonParameter<R extends JsonRow<R>>(
    rows: readonly R[],
    columns: { readonly [K in keyof R & string]: JsonColumnType },
  ): string;
}

/** The rows of a send batch written in one statement (StorageAdapter.writeSendBatch). */
export interface SendBatchRows {
  /**
   * Per channel: seqs taken, the latest message time, and `last_seq` and `created_at` as
   * they must still be (a channel deleted and made again under its cid is another one).
   */
  channels: {
    cid: string;
    events: number;
    message_at: number;
    last_seq: number;
    created_at: number;
  }[];
  messages: MessagesTable[];
  events: EventsTable[];
  mentions: MentionsTable[];
  channelDays: { day: string; cid: string; n: number }[];
  userDays: { day: string; user_id: string }[];
  readPositions: { cid: string; user_id: string; seq: number; message_id: string; at: number }[];
}

/** The `code` of a Node system error or a driver error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** How a search's messages are told apart: see SearchIndex.contains. */
export interface SearchCondition {
  /** On `parley_messages as m`: its search_text contains every term. */
  condition: Expression<SqlBool>;
  /**
   * How the statement keeps to the reader's channels (those `cids` selects) where the
   * condition's index looks them up with the terms; undefined: SearchIndex.inChannels.
   */
  inChannels?: (cids: Expression<{ cid: string }>) => Expression<SqlBool>;
  /**
   * The condition tests each row on its own (no index lookup) and the page should fill
   * before half the reader's messages are tested: the reader's channels are then walked
   * newest first side by side and merged, so that the walk stops once the page is full
   * instead of testing every message of every channel and sorting them.
   */
  mergeChannels?: boolean;
  /**
   * The condition's matches are few enough to be read from the index and sorted: the
   * statement orders them by an expression of their time, which no index of time answers,
   * so that the database does not walk the newest messages instead.
   */
  sortMatches?: boolean;
  /**
   * The condition keeps to the newest messages, which should hold the page: where it finds
   * less than the page, the search runs again with the one this gives.
   */
  orElse?: () => SearchCondition;
  /**
   * The statement may be prepared once and its plan kept (PostgreSQL's generic plan, made
   * without seeing the patterns): the index finds every term whatever its pattern. Else
   * the statement is planned for each call's patterns (PLANNED_PER_CALL).
   */
  planOnce?: boolean;
}

/** A database's index for substring search (SQLite: FTS5 trigram; PostgreSQL: pg_trgm GIN). */
export interface SearchIndex {
  /** Creates the index over `parley_messages.search_text` (a migration, once). */
  create(db: Kysely<unknown>): Promise<void>;
  /**
   * Creates the index over `parley_messages.search_bigrams` (a migration, once, after the
   * column is filled), which finds the terms of two CJK characters (see cjkBigramsOf).
   */
  createBigramIndex(db: Kysely<unknown>): Promise<void>;
  /**
   * A condition on `parley_messages as m`: its search_text contains every term (normalised
   * terms, taken literally). Answered from the index, or by testing the rows the other
   * conditions leave when the terms are everywhere (the database may count matches first),
   * or when the search's channels (`search.cid`, or the reader's) hold few messages.
   */
  contains(db: Kysely<Database>, search: MessageSearch): Promise<SearchCondition>;
  /**
   * Gives the planner what it needs to weigh the substring index against walking the
   * newest messages (a migration, once; nothing where the storage code chooses itself).
   */
  refineEstimates(db: Kysely<unknown>): Promise<void>;
  /** A condition on `parley_messages as m`: its channel is one of those `cids` selects. */
  inChannels(cids: Expression<{ cid: string }>): Expression<SqlBool>;
  /**
   * What the index needs to list matches newest first (a migration, once; nothing where
   * the index cannot).
   */
  createTimeOrder(db: Kysely<unknown>): Promise<void>;
  /**
   * What testing the rows of a few channels needs to be cheap (a migration, once; nothing
   * where the database reads those rows well enough as they are).
   */
  createChannelRows(db: Kysely<unknown>): Promise<void>;
  /**
   * What finds a term's matches within one channel from the index, without reading the
   * term's matches in every other channel (a migration, once; nothing where the index
   * cannot).
   */
  createChannelTerms(db: Kysely<unknown>): Promise<void>;
  /**
   * Rebuilds what createChannelTerms made so that a term is looked up in a set of channels
   * (inChannels) in one pass over the index rather than once per channel (a migration,
   * once; nothing where the index already does: SQLite's channel tokens).
   */
  createChannelSets(db: Kysely<unknown>): Promise<void>;
  /**
   * Leaves the index's merges to the send path, in small steps (a migration, once; nothing
   * on PostgreSQL, whose GIN indexes merge their pending lists, bounded by boundPending).
   */
  mergeInSteps(db: Kysely<unknown>): Promise<void>;
  /**
   * Keeps small what the index holds unmerged, which every search reads whole (a migration,
   * once; nothing where the index keeps no such list: SQLite's segments are merged by the
   * send path, see mergeInSteps).
   */
  boundPending(db: Kysely<unknown>): Promise<void>;
  /**
   * Keys the index by spans of time too, so that a term's matches among the newest messages
   * are found without reading its older ones (a migration, once, with progress on stderr;
   * nothing where the index is not asked for a window of time: SQLite, whose own index
   * lists matches newest first).
   */
  createTimeKeys(db: Kysely<unknown>): Promise<void>;
  /**
   * Rebuilds an index made by an older server with token positions without them, when
   * they are only ever used to narrow what the rows' exact test decides (a migration,
   * once, with progress on stderr; nothing where the index keeps none: PostgreSQL).
   */
  dropPositions(db: Kysely<unknown>): Promise<void>;
  /**
   * Rebuilds an index made by an older server so that it also finds a term within a few
   * channels without reading its matches in every other (a migration, once, with progress
   * on stderr; nothing where createChannelTerms already made that: PostgreSQL).
   */
  addChannelTokens(db: Kysely<unknown>): Promise<void>;
  /**
   * Indexes every stored message again, with progress on stderr: after a copy of the
   * database renumbered its rows (SQLite's VACUUM), which the index points at by number;
   * nothing where the index follows the rows themselves (PostgreSQL).
   */
  rebuild(db: Kysely<unknown>): Promise<void>;
  /**
   * The search's matches as searchMessages returns them, read from the index newest first,
   * or null when this index does not answer that search that way (the general plan does).
   */
  newestMatches(db: Kysely<Database>, search: MessageSearch): Promise<SearchMatch[] | null>;
  /**
   * The newest `search.limit` rows `select` leaves in the reader's channels, each channel
   * walked newest first and the walks merged, so that they stop about where the page is
   * full (SearchCondition.mergeChannels); null when this index does not for this reader
   * (the caller then tests every row of the reader's channels). `db` runs the walks,
   * `members` may read the reader's channels.
   */
  mergedChannels(
    db: Kysely<Database>,
    members: Kysely<Database>,
    select: SearchSelect,
    search: MessageSearch & { readerId: string },
  ): Promise<SearchRow[] | null>;
  /**
   * What walking one channel's messages newest first needs (a migration, once; nothing
   * where an index already orders them so).
   */
  createChannelTimeOrder(db: Kysely<unknown>): Promise<void>;
}
