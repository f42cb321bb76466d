import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../server/test/helpers/free-port.js';

/**
 * A port nobody listens on: one no other test's `listen(0)` will take meanwhile (see
 * freePort), so connecting to it is refused.
 */
export const closedPort = freePort;

/**
 * A plain HTTP server, not Parley: it stands for what can sit between a backend and
 * Parley (a proxy's error pages, a hung upstream).
 */
export async function startPlainHttp(
  handler: RequestListener,
): Promise<{ url: string; stop(): Promise<void> }> {
  const http = createServer(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // A handler that never answers keeps its connection open; close() alone would wait.
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
