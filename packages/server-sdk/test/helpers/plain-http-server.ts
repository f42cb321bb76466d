import { createServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

/** A port nobody listens on right now. */
export async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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
