import { ChatClient, type ChatClientOptions } from '@parley/client';
import { configure, render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import WebSocket from 'ws';
import { TEST_API_KEY, TestServer } from '../../../server/test/helpers/test-server.js';
import { ChatProvider, useChatClient } from '../../src/index.js';
import type { Theme } from '../../src/types.js';

// findBy… and waitFor wait up to 1 s by default: a real server on a busy machine (the first
// connect, watch and page of a file) can take longer. Waits stay bounded; speed is not a test.
configure({ asyncUtilTimeout: 5_000 });

/** `ws` that counts the sockets it opens, to see that a provider opens one. */
export class CountingWebSocket extends WebSocket {
  static opened = 0;
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    CountingWebSocket.opened += 1;
  }
}

/** A real server with users ana, ben, cy and dee, and a channel `team:general` of them all. */
export async function startServer(): Promise<TestServer> {
  const server = await TestServer.start('sqlite');
  await server.createUsers('ana', 'ben', 'cy', 'dee');
  await server.createChannel('team', 'general', ['ana', 'ben', 'cy', 'dee'], 'ana');
  return server;
}

/** A plain client in Node: "the other side" of a conversation. */
export async function nodeClient(server: TestServer, userId: string): Promise<ChatClient> {
  const client = new ChatClient({
    url: server.url,
    apiKey: TEST_API_KEY,
    WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
    networkEvents: null,
  });
  await client.connectUser({ id: userId }, () => server.tokenFor(userId));
  return client;
}

/** Connects `userId` with `useChatClient` and shows `children` once connected. */
function Session({
  server,
  userId,
  children,
}: {
  server: TestServer;
  userId: string;
  children: ReactNode;
}) {
  const { loading, error } = useChatClient({
    userId,
    tokenProvider: () => server.tokenFor(userId),
  });
  if (error !== null) return <p role="alert">{error.message}</p>;
  return loading ? <p>connecting</p> : <>{children}</>;
}

/** Renders `children` as `userId`, connected to `server` through a `ChatProvider`. */
export function renderAs(
  server: TestServer,
  userId: string,
  children: ReactNode,
  options: {
    theme?: Theme;
    clientOptions?: Partial<ChatClientOptions>;
    /** Another way to the server than `server.url`, e.g. a `TcpProxy` in front of it. */
    url?: string;
  } = {},
): RenderResult {
  return render(
    <ChatProvider
      url={options.url ?? server.url}
      apiKey={TEST_API_KEY}
      theme={options.theme}
      clientOptions={{
        WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
        networkEvents: null,
        ...options.clientOptions,
      }}
    >
      <Session server={server} userId={userId}>
        {children}
      </Session>
    </ChatProvider>,
  );
}
