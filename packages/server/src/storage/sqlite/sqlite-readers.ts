import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from '../kysely/database.js';
import { HandOff } from './hand-off.js';
import { InlineLimitPlugin } from './inline-values.js';
import { columnRowMaker } from './statement-cache.js';

/*
 * Reads off the event loop, for searches.
 *
 * A search scans thousands of rows (a user's channels, or the trigram index's matches):
 * 2.5–4.5 ms of SQLite per request on a million messages, run on the main thread through
 * Kysely's one connection, so searches queued behind each other and behind every other
 * query, and a closed loop of 10 searches used one core of two. Here worker threads each
 * hold a connection of their own to the same file (WAL: readers never wait for the writer
 * and see every commit made before they start, so a message acknowledged is found) and run
 * the statements Kysely compiled on the main thread. The worker's code is plain JavaScript
 * run with `eval`, so that it loads the same from src/ (tests) and dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('query_only = ON');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = ' + workerData.cacheSize);
const statements = new Map();
const prepare = (sql) => {
  let entry = statements.get(sql);
  if (entry !== undefined) {
    statements.delete(sql);
  } else {
    const statement = db.prepare(sql);
    if (!statement.reader) throw new Error('a reader thread only reads: ' + sql.slice(0, 80));
    entry = { statement: statement.raw(true), names: statement.columns().map((c) => c.name) };
    if (statements.size >= workerData.statements) statements.delete(statements.keys().next().value);
  }
  statements.set(sql, entry);
  return entry;
};
parentPort.on('message', ({ id, sql, parameters }) => {
  if (id === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const { statement, names } = prepare(sql);
    const rows = statement.all(parameters);
    // By column: one array of values per column (see ReaderReply).
    const columns = names.map((_, c) => rows.map((row) => row[c]));
    parentPort.postMessage({ id, names, columns, count: rows.length });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/** How the reader threads are set up. */
export interface SqliteReadersOptions {
  /** Threads. Default: the cores, at most 2 (the main thread needs one too). */
  threads?: number;
  /** SQLite page cache of each thread's connection, KiB. Default 65,536 (64 MiB). */
  cacheKib?: number;
}

/** Statements each thread keeps prepared, the least recently used dropped first. */
const STATEMENTS_PER_THREAD = 200;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

/** One worker thread and its connection: a Kysely connection that runs reads only. */
class ReaderThread implements DatabaseConnection {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(file: string, cacheKib: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, cacheSize: -cacheKib, statements: STATEMENTS_PER_THREAD },
    });
    this.worker.on('message', (message: ReaderReply) => {
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id);
      if (message.error === undefined) pending.resolve(rowsOf(message));
      else pending.reject(Object.assign(new Error(message.error.message), message.error));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the SQLite reader thread exited')));
    // Idle threads never keep the process alive.
    this.worker.unref();
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    }).then((rows) => ({ rows: rows as R[] }));
  }

  // eslint-disable-next-line require-yield -- the interface's shape; searches never stream.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite reader threads do not stream');
  }

  async close(): Promise<void> {
    if (this.failure !== undefined) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ id: 'close' });
    await exited;
  }
}

/**
 * A statement's rows as the thread sends them: one array per column, not one object per row.
 * Copying between threads costs per object: 500 rows of (id, time, search text), a
 * relevance search's pool, took ~300 µs of CPU as objects and ~100 µs as columns.
 */
interface ReaderReply {
  id: number;
  names: string[];
  columns: unknown[][];
  count: number;
  error?: { message: string; code?: string };
}

/** Row makers by column names, compiled once each (statement-cache.ts), the oldest dropped first. */
const makers = new Map<string, ReturnType<typeof columnRowMaker>>();
const MAX_MAKERS = 1_000;

/** The rows again, as better-sqlite3 gives them (a later column wins a repeated name). */
function rowsOf({ names, columns, count }: ReaderReply): Record<string, unknown>[] {
  const key = JSON.stringify(names);
  let make = makers.get(key);
  if (make === undefined) {
    makers.set(key, (make = columnRowMaker(names)));
    if (makers.size > MAX_MAKERS) makers.delete(makers.keys().next().value!);
  }
  const rows = new Array<Record<string, unknown>>(count);
  for (let r = 0; r < count; r++) rows[r] = make(columns, r);
  return rows;
}

/** Hands out idle reader threads, started at the first query (the file exists by then). */
class ReaderDriver implements Driver {
  private threads: ReaderThread[] = [];
  private idle = new HandOff<ReaderThread>([]);

  constructor(
    private readonly file: string,
    private readonly options: Required<SqliteReadersOptions>,
  ) {}

  init(): Promise<void> {
    this.threads = Array.from(
      { length: this.options.threads },
      () => new ReaderThread(this.file, this.options.cacheKib),
    );
    this.idle = new HandOff([...this.threads]);
    return Promise.resolve();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.idle.take();
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.idle.give(connection as ReaderThread);
    return Promise.resolve();
  }

  beginTransaction(): Promise<void> {
    return Promise.reject(new Error('the SQLite reader threads run no transactions'));
  }

  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  async destroy(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}

/**
 * A Kysely over reader threads on `file` (see above): reads only, no transactions. Each
 * query goes to whichever thread is idle.
 */
export function createSqliteReaders(
  file: string,
  options: SqliteReadersOptions = {},
): Kysely<Database> {
  const resolved = {
    threads: options.threads ?? Math.min(2, availableParallelism()),
    cacheKib: options.cacheKib ?? 65_536,
  };
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new ReaderDriver(file, resolved),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    plugins: [new InlineLimitPlugin()],
  });
}
