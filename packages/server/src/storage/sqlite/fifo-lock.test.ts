import { describe, expect, it } from 'vitest';
import { FifoLock } from './fifo-lock.js';

describe('FifoLock', () => {
  it('lets one holder in at a time, in the order they asked', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await lock.lock();
        inside++;
        most = Math.max(most, inside);
        order.push(i);
        // Hold it across a turn of the event loop, as a query does.
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
        lock.unlock();
      }),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('is free again once its queue drained, and queues again after', async () => {
    const lock = new FifoLock();
    await lock.lock();
    lock.unlock();
    await lock.lock();
    let second = false;
    const waiting = lock.lock().then(() => (second = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    lock.unlock();
    await waiting;
    expect(second).toBe(true);
    lock.unlock();
  });
});
