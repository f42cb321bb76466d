import { describe, expect, it } from 'vitest';
import { HandOff } from './hand-off.js';

/** 200 holders of `items`, each keeping one across a turn of the event loop. */
async function hold(items: string[]) {
  const handOff = new HandOff([...items]);
  const order: number[] = [];
  const held = new Set<string>();
  let most = 0;
  await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const item = await handOff.take();
      expect(held.has(item)).toBe(false);
      held.add(item);
      most = Math.max(most, held.size);
      order.push(i);
      await new Promise((resolve) => setImmediate(resolve));
      held.delete(item);
      handOff.give(item);
    }),
  );
  return { order, most };
}

describe('HandOff', () => {
  it('lets one holder of a single item in at a time, in the order they asked', async () => {
    const { order, most } = await hold(['connection']);
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('hands each of several items to one holder at a time, all of them in use', async () => {
    const { order, most } = await hold(['a', 'b', 'c']);
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('keeps an item given back while no one waits, and queues again after', async () => {
    const handOff = new HandOff(['connection']);
    handOff.give(await handOff.take());
    const item = await handOff.take();
    let second = false;
    const waiting = handOff.take().then(() => (second = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    handOff.give(item);
    await waiting;
    expect(second).toBe(true);
  });
});
