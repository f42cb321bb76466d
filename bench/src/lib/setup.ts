import { createParleyServerClient, type ParleyServerClient } from '@parley/server-sdk';
import type { ServerProcess } from './server-process.js';

/** A user with a token, ready to connect. */
export interface BenchUser {
  userId: string;
  token: string;
}

export function sdkFor(server: ServerProcess): ParleyServerClient {
  return createParleyServerClient({ url: server.url, secret: server.secret, timeoutMs: 60_000 });
}

/** Upserts `ids` in batches of 100 (the API's limit), 4 at a time, and makes a token for each. */
export async function createUsers(
  sdk: ParleyServerClient,
  ids: readonly string[],
): Promise<BenchUser[]> {
  const batches = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) =>
    ids.slice(i * 100, i * 100 + 100),
  );
  await mapLimit(batches, 4, (batch) => sdk.upsertUsers(batch.map((id) => ({ id, name: id }))));
  return Promise.all(ids.map(async (userId) => ({ userId, token: await sdk.createToken(userId) })));
}

/** Runs `task` over `items`, at most `concurrency` at a time, in order of start. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
