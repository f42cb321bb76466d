import { describe, expect, it } from 'vitest';
import { LocalStorageQueueStore, type StorageLike } from './local-storage-queue-store.js';
import { MemoryQueueStore } from './memory-queue-store.js';
import type { QueuedSend, QueueStore } from './queue-store.js';

/** A Web Storage stand-in kept in a Map. */
class MapStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

/** Each store, made twice over the same backing, as a page and its reload would. */
const STORES: { name: string; pair(): [QueueStore, QueueStore] }[] = [
  {
    name: 'memory',
    pair() {
      const store = new MemoryQueueStore();
      return [store, store];
    },
  },
  {
    name: 'localStorage',
    pair() {
      const storage = new MapStorage();
      return [new LocalStorageQueueStore('q', storage), new LocalStorageQueueStore('q', storage)];
    },
  },
  // IndexedDBQueueStore is not run here: Node has no IndexedDB and fake-indexeddb is not
  // a dependency. test/browser/indexeddb-queue-store.browser.test.ts runs it in Chromium.
];

const item = (id: string, extra: Partial<QueuedSend> = {}): QueuedSend => ({
  cid: 'messaging:general',
  id,
  text: `text ${id}`,
  createdAt: 1_700_000_000_000,
  ...extra,
});

for (const { name, pair } of STORES) {
  describe(`${name}: queue store`, () => {
    it('starts empty', async () => {
      expect(await pair()[0].load()).toEqual([]);
    });

    it('gives back what was saved, in order, with data and user', async () => {
      const [page, reload] = pair();
      const items = [item('a', { data: { x: 1 }, userId: 'ann' }), item('b'), item('c')];
      await page.save(items);
      expect(await reload.load()).toEqual(items);
    });

    it('replaces what it held on every save, down to nothing', async () => {
      const [page, reload] = pair();
      await page.save([item('a'), item('b')]);
      await page.save([item('b')]);
      expect((await reload.load()).map((i) => i.id)).toEqual(['b']);
      await page.save([]);
      expect(await reload.load()).toEqual([]);
    });

    it('is not changed by later changes to the saved array', async () => {
      const [page, reload] = pair();
      const items = [item('a')];
      await page.save(items);
      items.push(item('b'));
      items[0]!.text = 'changed';
      expect(await reload.load()).toEqual([item('a')]);
    });
  });
}

describe('localStorage queue store', () => {
  it('ignores a value it cannot read, and malformed items', async () => {
    const storage = new MapStorage();
    const store = new LocalStorageQueueStore('q', storage);
    storage.setItem('q', '{not json');
    expect(await store.load()).toEqual([]);
    storage.setItem('q', JSON.stringify([item('ok'), { id: 'no-cid' }, null, 7]));
    expect((await store.load()).map((i) => i.id)).toEqual(['ok']);
  });

  it('removes its key once the queue is empty', async () => {
    const storage = new MapStorage();
    const store = new LocalStorageQueueStore('parley.queue', storage);
    await store.save([item('a')]);
    expect(storage.items.has('parley.queue')).toBe(true);
    await store.save([]);
    expect(storage.items.has('parley.queue')).toBe(false);
  });
});
