import type { QueuedSend, QueueStore } from './queue-store.js';

/** Keeps the queue in memory: it survives reconnects, not a page reload. The default. */
export class MemoryQueueStore implements QueueStore {
  private items: QueuedSend[] = [];

  async load(): Promise<QueuedSend[]> {
    return this.items.map((item) => ({ ...item }));
  }

  async save(items: QueuedSend[]): Promise<void> {
    this.items = items.map((item) => ({ ...item }));
  }
}
