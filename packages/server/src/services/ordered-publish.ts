import type { Bus } from '../bus/bus.js';

/** Per bus, per channel: the publish that ends the queue. */
const tails = new WeakMap<Bus, Map<string, Promise<void>>>();

/**
 * Runs `publish` once the channel's earlier publishes on this bus have run. Call it as
 * soon as the storage write returns: events then leave in the order they were stored
 * (seq order), even when the lookups between storing and publishing (members, unread
 * counts) take longer for an earlier event than for a later one. Without it, concurrent
 * sends on PostgreSQL reach watchers out of seq order.
 */
export function publishInOrder(bus: Bus, cid: string, publish: () => Promise<void>): Promise<void> {
  let channels = tails.get(bus);
  if (channels === undefined) {
    channels = new Map();
    tails.set(bus, channels);
  }
  const queue = channels;
  const run = (queue.get(cid) ?? Promise.resolve()).then(publish);
  // A failed publish is its caller's error; the next one still runs.
  const tail = run.then(
    () => {},
    () => {},
  );
  queue.set(cid, tail);
  void tail.then(() => {
    if (queue.get(cid) === tail) queue.delete(cid);
  });
  return run;
}
