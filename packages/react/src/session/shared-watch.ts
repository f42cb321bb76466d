import type { Channel } from '@parley/client';
import { DeferredRelease } from './deferred-release.js';

const watches = new WeakMap<Channel, DeferredRelease>();

/**
 * Watches a channel for one more user of it; the last `release()` stops watching. Watching
 * twice sends one request (the client shares a watch in flight).
 */
export function watchShared(channel: Channel): { ready: Promise<unknown>; release(): void } {
  let refs = watches.get(channel);
  if (refs === undefined) {
    const created = new DeferredRelease(() => {
      watches.delete(channel);
      // The session may have ended meanwhile: nothing is watched any more then.
      channel.stopWatching().catch(() => undefined);
    });
    watches.set(channel, (refs = created));
  }
  refs.acquire();
  const ready = channel.state.watching ? Promise.resolve() : channel.watch();
  let released = false;
  const held = refs;
  return {
    ready,
    release: () => {
      if (released) return;
      released = true;
      held.drop();
    },
  };
}
