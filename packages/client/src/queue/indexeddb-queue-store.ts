import { validQueuedItems, type QueuedItem, type QueueStore } from './queue-store.js';

/** `indexedDB`, typed loosely so this file compiles without the DOM library. */
export interface IDBFactoryLike {
  open(name: string, version?: number): unknown;
}

// The standard IndexedDB calls this store makes.
interface Request<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  onupgradeneeded?: (() => void) | null;
}
interface Database {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(name: string, mode: 'readonly' | 'readwrite'): Transaction;
  close(): void;
}
interface Transaction {
  objectStore(name: string): {
    get(key: string): Request<unknown>;
    put(value: unknown, key: string): Request<unknown>;
  };
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}

const STORE = 'queue';
const KEY = 'items';

/** Keeps the queue in IndexedDB (one record), for apps that keep localStorage free. */
export class IndexedDBQueueStore implements QueueStore {
  private readonly indexedDB: IDBFactoryLike;

  /**
   * @param dbName the database name. Default `parley`.
   * @param indexedDB default `globalThis.indexedDB`.
   */
  constructor(
    private readonly dbName = 'parley',
    indexedDB?: IDBFactoryLike,
  ) {
    const found = indexedDB ?? (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB;
    if (found === undefined) throw new TypeError('IndexedDBQueueStore needs indexedDB');
    this.indexedDB = found;
  }

  async load(): Promise<QueuedItem[]> {
    return validQueuedItems(
      await this.run('readonly', (store) => store.get(KEY) as Request<unknown>),
    );
  }

  async save(items: QueuedItem[]): Promise<void> {
    await this.run('readwrite', (store) => store.put(items, KEY));
  }

  /** Opens the database for one transaction and closes it after, so no handle stays open. */
  private async run(
    mode: 'readonly' | 'readwrite',
    work: (store: ReturnType<Transaction['objectStore']>) => Request<unknown>,
  ): Promise<unknown> {
    const open = this.indexedDB.open(this.dbName, 1) as Request<Database>;
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    const db = await settled(open);
    try {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
      return request.result;
    } finally {
      db.close();
    }
  }
}

function settled<T>(request: Request<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
