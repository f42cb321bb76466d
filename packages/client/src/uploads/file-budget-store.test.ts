import { describe, expect, it } from 'vitest';
import { MemoryQueueStore } from '../queue/memory-queue-store.js';
import type { QueuedSend } from '../queue/queue-store.js';
import { withFileBudget } from './file-budget-store.js';

const file = (name: string, bytes: number) => ({
  name,
  type: 'application/pdf',
  size: bytes,
  blob: new Blob([new Uint8Array(bytes)]),
});
const item = (id: string, files: ReturnType<typeof file>[]): QueuedSend => ({
  cid: 'messaging:x',
  id,
  text: id,
  createdAt: 1,
  attachments: files,
});

describe('a queue store with a file budget', () => {
  it('keeps files oldest message first up to the budget, and the rest without their bytes', async () => {
    const store = withFileBudget(new MemoryQueueStore(), 100);
    const items = [item('a', [file('a1', 60)]), item('b', [file('b1', 50), file('b2', 40)])];
    await store.save(items);
    const kept = ((await store.load()) as QueuedSend[]).map((i) =>
      i.attachments!.map((f) => f.blob !== undefined),
    );
    expect(kept).toEqual([[true], [false, true]]);
    // What the queue holds in memory keeps every file.
    expect(items[1]!.attachments![0]!.blob).toBeInstanceOf(Blob);
  });

  it('leaves messages without files as they are', async () => {
    const store = withFileBudget(new MemoryQueueStore(), 0);
    await store.save([{ cid: 'messaging:x', id: 'a', text: 'hi', createdAt: 1 }]);
    expect(await store.load()).toMatchObject([{ id: 'a', text: 'hi' }]);
  });
});
