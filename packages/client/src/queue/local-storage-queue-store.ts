import { validQueuedItems, type QueuedItem, type QueueStore } from './queue-store.js';

/** The part of the Web Storage API the store uses (`localStorage` fits). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keeps the queue in `localStorage` (one JSON value), so it survives a page reload. */
export class LocalStorageQueueStore implements QueueStore {
  private readonly storage: StorageLike;

  /**
   * @param key the storage key. Default `parley.queue`.
   * @param storage default `globalThis.localStorage`.
   */
  constructor(
    private readonly key = 'parley.queue',
    storage?: StorageLike,
  ) {
    const found = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (found === undefined) throw new TypeError('LocalStorageQueueStore needs a Storage');
    this.storage = found;
  }

  async load(): Promise<QueuedItem[]> {
    const saved = this.storage.getItem(this.key);
    if (saved === null) return [];
    try {
      return validQueuedItems(JSON.parse(saved));
    } catch {
      return []; // not ours, or cut short: better an empty queue than no client
    }
  }

  async save(items: QueuedItem[]): Promise<void> {
    // Quota errors propagate: the caller keeps the items in memory and says so.
    if (items.length === 0) this.storage.removeItem(this.key);
    else this.storage.setItem(this.key, JSON.stringify(items));
  }
}
