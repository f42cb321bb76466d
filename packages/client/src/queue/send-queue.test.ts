import { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryQueueStore } from './memory-queue-store.js';
import type { QueuedItem, QueuedSend } from './queue-store.js';
import { SendQueue } from './send-queue.js';

const item = (id: string, userId?: string): QueuedSend => ({
  cid: 'messaging:general',
  id,
  text: id,
  createdAt: 0,
  ...(userId === undefined ? {} : { userId }),
});

/** A queue whose sends answer as `answer` says; records attempts, acks and failures. */
function setup(answer: (item: QueuedItem, attempt: number) => Message | ChatError) {
  const store = new MemoryQueueStore();
  const attempts: string[] = [];
  const acked: string[] = [];
  const failed: [string, string][] = [];
  let connected = true;
  const queue = new SendQueue({
    store,
    send: async (i) => {
      attempts.push(i.id);
      const result = answer(i, attempts.filter((a) => a === i.id).length);
      if (result instanceof ChatError) throw result;
      return result;
    },
    canSend: () => connected,
    userId: () => 'ann',
    retryDelay: () => 1,
    acked: (i) => acked.push(i.id),
    failed: (i, e) => failed.push([i.id, e.code]),
    storeFailed: () => {},
  });
  return {
    queue,
    store,
    attempts,
    acked,
    failed,
    setConnected: (value: boolean) => (connected = value),
  };
}

const stored = (i: QueuedItem) => ({ id: i.id, seq: 1 }) as Message;

describe('SendQueue', () => {
  it('sends in order, one at a time, and resolves each send with the stored message', async () => {
    const { queue, attempts, acked } = setup(stored);
    const sends = ['a', 'b', 'c'].map((id) => queue.enqueue(item(id)));
    expect(queue.size).toBe(3);
    expect((await Promise.all(sends)).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(attempts).toEqual(['a', 'b', 'c']);
    expect(acked).toEqual(['a', 'b', 'c']);
    expect(queue.size).toBe(0);
  });

  it('resends with the same id after temporary failures, keeping the order', async () => {
    const { queue, attempts } = setup((i, attempt) =>
      i.id === 'a' && attempt < 3 ? new ChatError('network_error', 'timeout') : stored(i),
    );
    await Promise.all([queue.enqueue(item('a')), queue.enqueue(item('b'))]);
    expect(attempts).toEqual(['a', 'a', 'a', 'b']);
  });

  it('takes a permanently refused send out, rejects it with the server’s code, and goes on', async () => {
    const { queue, failed, acked } = setup((i) =>
      i.id === 'bad' ? new ChatError('message_too_long', 'too long') : stored(i),
    );
    const bad = queue.enqueue(item('bad'));
    const good = queue.enqueue(item('good'));
    await expect(bad).rejects.toMatchObject({ code: 'message_too_long' });
    await good;
    expect(failed).toEqual([['bad', 'message_too_long']]);
    expect(acked).toEqual(['good']);
  });

  it('waits while it cannot send, keeps the items in the store, and sends them on flush', async () => {
    const { queue, store, attempts, setConnected } = setup(stored);
    setConnected(false);
    const send = queue.enqueue(item('a'));
    await new Promise((r) => setTimeout(r, 5));
    expect(attempts).toEqual([]);
    expect((await store.load()).map((i) => i.id)).toEqual(['a']);
    setConnected(true);
    queue.flush();
    await send;
    expect(await store.load()).toEqual([]);
  });

  it('loads items from the store once, and sends only the connected user’s', async () => {
    const { queue, store, attempts } = setup(stored);
    await store.save([item('mine', 'ann'), item('theirs', 'ben'), item('anyone')]);
    await queue.load();
    await queue.load();
    expect(queue.size).toBe(3);
    queue.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(attempts).toEqual(['mine', 'anyone']);
    expect((await store.load()).map((i) => i.id)).toEqual(['theirs']);
  });

  it('stop() rejects waiting sends but keeps them queued', async () => {
    const { queue, setConnected } = setup(stored);
    setConnected(false);
    const send = queue.enqueue(item('a'));
    queue.stop(new ChatError('network_error', 'disconnected'));
    await expect(send).rejects.toMatchObject({ code: 'network_error' });
    expect(queue.itemsOf('messaging:general').map((i) => i.id)).toEqual(['a']);
  });
});

describe('SendQueue: changes to queued items', () => {
  it('amends or removes an item not sent yet, and never one sent once', async () => {
    const { queue, attempts, setConnected } = setup(stored);
    setConnected(false);
    const first = queue.enqueue(item('a'));
    const second = queue.enqueue(item('b'));
    expect(queue.amend('a', (i) => ({ ...i, text: 'changed' }))).toBe(true);
    const removed = new ChatError('message_deleted', 'gone');
    expect(queue.amend('b', () => null, removed)).toBe(true);
    await expect(second).rejects.toBe(removed);
    expect(queue.itemsOf('messaging:general').map((i) => i.text)).toEqual(['changed']);
    setConnected(true);
    queue.flush();
    await first;
    expect(attempts).toEqual(['a']);
    expect(queue.amend('a', () => null)).toBe(false);
  });

  it('finds a waiting item, but not one on its way', async () => {
    let release: (() => void) | undefined;
    const { queue } = setup(stored);
    const slow = new SendQueue({
      store: new MemoryQueueStore(),
      send: (i) => new Promise<Message>((resolve) => (release = () => resolve(stored(i)))),
      canSend: () => true,
      userId: () => 'ann',
      retryDelay: () => 1,
      acked: () => {},
      failed: () => {},
      storeFailed: () => {},
    });
    void queue;
    const sent = slow.enqueue(item('x'));
    void slow.enqueue(item('y'));
    await new Promise((r) => setTimeout(r, 5));
    const isSend = (i: QueuedItem): i is QueuedSend => !('kind' in i);
    expect(slow.waiting(isSend)?.id).toBe('y');
    expect(slow.amend('x', (i) => i)).toBe(false);
    release!();
    await sent;
  });
});
