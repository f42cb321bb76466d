import type { QueuedItem, QueueStore } from './queue-store.js';

/** Keeps the queue in memory: it survives reconnects, not a page reload. The default. */
export class MemoryQueueStore implements QueueStore {
  private items: QueuedItem[] = [];

  async load(): Promise<QueuedItem[]> {
    return this.items.map((item) => ({ ...item }));
  }

  async save(items: QueuedItem[]): Promise<void> {
    this.items = items.map((item) => ({ ...item }));
  }
}
