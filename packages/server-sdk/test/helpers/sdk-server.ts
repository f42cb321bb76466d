import { afterAll, beforeAll } from 'vitest';
import type { StorageKind } from '../../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../../../server/test/helpers/test-server.js';
import { createParleyServerClient, type ParleyServerClient } from '../../src/index.js';
import { recordingFetch } from './recording-fetch.js';

/** A Parley server for a describe block, and the server SDK pointed at it. */
export interface SdkServer {
  server: TestServer;
  parley: ParleyServerClient;
  /** The requests `parley` sent. */
  recorder: ReturnType<typeof recordingFetch>;
  /** A fresh id per call, so tests sharing the server never see each other's data. */
  fresh(prefix: string): string;
  /** Users that exist on the server, named after their ids. */
  users(...prefixes: string[]): Promise<string[]>;
}

/** Starts the server before the block's tests and closes it after them. */
export function useSdkServer(kind: StorageKind): SdkServer {
  let counter = 0;
  const sdk: SdkServer = {
    server: undefined as unknown as TestServer,
    parley: undefined as unknown as ParleyServerClient,
    recorder: undefined as unknown as ReturnType<typeof recordingFetch>,
    fresh: (prefix) => `${prefix}-${++counter}`,
    async users(...prefixes) {
      const ids = prefixes.map(sdk.fresh);
      await sdk.parley.upsertUsers(ids.map((id) => ({ id, name: id })));
      return ids;
    },
  };
  beforeAll(async () => {
    sdk.server = await TestServer.start(kind);
    sdk.recorder = recordingFetch();
    sdk.parley = createParleyServerClient({
      url: sdk.server.url,
      secret: TEST_SECRET,
      apiKey: TEST_API_KEY,
      fetch: sdk.recorder.fetch,
    });
  });
  afterAll(() => sdk.server?.close());
  return sdk;
}
