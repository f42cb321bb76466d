// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { ChatClient, ChatClientOptions } from '@parley/client';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { TEST_API_KEY } from '../../server/test/helpers/test-server.js';
import {
  ChatProvider,
  useChannel,
  useChatClient,
  useConnectionState,
  useMessages,
  useTypingUsers,
  useUnreadCount,
} from '../src/index.js';
import { CountingWebSocket, nodeClient, renderAs, startServer } from './helpers/harness.js';

let server: TestServer;
const others: ChatClient[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterEach(async () => {
  cleanup();
  await Promise.all(others.splice(0).map((c) => c.disconnect()));
});
afterAll(() => server.close());

function Connected({ userId, onClient }: { userId: string; onClient: (c: ChatClient) => void }) {
  const { client, loading, error } = useChatClient({
    userId,
    tokenProvider: () => server.tokenFor(userId),
  });
  const state = useConnectionState();
  onClient(client);
  if (error !== null) return <p>error {error.message}</p>;
  return <p>{loading ? 'loading' : `ready as ${client.user?.id} (${state})`}</p>;
}

describe('useChatClient', () => {
  it('opens one socket across re-renders and a StrictMode remount, and closes it on unmount', async () => {
    CountingWebSocket.opened = 0;
    let client: ChatClient | undefined;
    const tree = (n: number) => (
      <StrictMode>
        <ChatProvider
          url={server.url}
          apiKey={TEST_API_KEY}
          clientOptions={{
            WebSocket: CountingWebSocket as unknown as ChatClientOptions['WebSocket'],
            networkEvents: null,
          }}
        >
          <Connected userId="ana" onClient={(c) => (client = c)} />
          <span>render {n}</span>
        </ChatProvider>
      </StrictMode>
    );
    const view = render(tree(0));
    await screen.findByText('ready as ana (connected)');
    for (let n = 1; n <= 3; n++) view.rerender(tree(n));
    // A round trip over the session: any second socket would have been opened by now.
    await client!.channel('team', 'general').watch();
    expect(CountingWebSocket.opened).toBe(1);
    view.unmount();
    await waitFor(() => expect(client!.state).toBe('disconnected'));
  });

  it('connects as the new user when userId changes', async () => {
    let client: ChatClient | undefined;
    function Switch() {
      const [user, setUser] = useState('ana');
      return (
        <>
          <button onClick={() => setUser('ben')}>switch</button>
          <Connected userId={user} onClient={(c) => (client = c)} />
        </>
      );
    }
    render(
      <ChatProvider
        url={server.url}
        apiKey={TEST_API_KEY}
        clientOptions={{
          WebSocket: CountingWebSocket as unknown as ChatClientOptions['WebSocket'],
          networkEvents: null,
        }}
      >
        <Switch />
      </ChatProvider>,
    );
    await screen.findByText('ready as ana (connected)');
    act(() => screen.getByText('switch').click());
    await screen.findByText('ready as ben (connected)');
    expect(client!.user?.id).toBe('ben');
  });

  it('reports a refused token as an error, not as loading forever', async () => {
    function Refused() {
      const { loading, error } = useChatClient({
        userId: 'ana',
        tokenProvider: async () => 'not-a-token',
      });
      return <p>{error !== null ? `error ${error.name}` : loading ? 'loading' : 'ready'}</p>;
    }
    render(
      <ChatProvider
        url={server.url}
        apiKey={TEST_API_KEY}
        clientOptions={{
          WebSocket: CountingWebSocket as unknown as ChatClientOptions['WebSocket'],
          networkEvents: null,
        }}
      >
        <Refused />
      </ChatProvider>,
    );
    expect(await screen.findByText(/^error/)).toBeTruthy();
  });
});

describe('channel hooks', () => {
  function Conversation() {
    const { client } = useChatClient({
      userId: 'ana',
      tokenProvider: () => server.tokenFor('ana'),
    });
    const { channel, loading } = useChannel('team', 'general');
    const messages = useMessages(channel);
    const typing = useTypingUsers(channel);
    const unread = useUnreadCount(channel);
    const total = useUnreadCount();
    if (loading) return <p>loading</p>;
    return (
      <div>
        <ul>
          {messages.map((m) => (
            <li key={m.id}>
              {m.user?.id}: {m.text}
            </li>
          ))}
        </ul>
        <p>typing: {typing.map((u) => u.name).join(',')}</p>
        <p>
          unread {unread} of {total}
        </p>
        <button onClick={() => channel!.markRead()}>read</button>
        <span>{client.user?.id}</span>
      </div>
    );
  }

  it('useMessages shows a message another user sends, without a reload', async () => {
    renderAs(server, 'ana', <Conversation />);
    await screen.findByText('typing:');
    const ben = await nodeClient(server, 'ben');
    others.push(ben);
    const general = ben.channel('team', 'general');
    await general.watch();
    await general.sendMessage({ text: 'hello from ben' });
    expect(await screen.findByText('ben: hello from ben')).toBeTruthy();
  });

  it('useTypingUsers lists another user while they type, by name', async () => {
    renderAs(server, 'ana', <Conversation />);
    await screen.findByText('typing:');
    const cy = await nodeClient(server, 'cy');
    others.push(cy);
    const general = cy.channel('team', 'general');
    await general.watch();
    general.keystroke();
    expect(await screen.findByText('typing: Cy')).toBeTruthy();
    general.stopTyping();
    expect(await screen.findByText('typing:')).toBeTruthy();
  });

  it('useUnreadCount counts messages from others and drops to 0 after markRead', async () => {
    renderAs(server, 'ana', <Conversation />);
    await screen.findByText('typing:');
    act(() => screen.getByText('read').click());
    await screen.findByText('unread 0 of 0');
    const dee = await nodeClient(server, 'dee');
    others.push(dee);
    const general = dee.channel('team', 'general');
    await general.watch();
    await general.sendMessage({ text: 'one' });
    await general.sendMessage({ text: 'two' });
    expect(await screen.findByText('unread 2 of 2')).toBeTruthy();
    act(() => screen.getByText('read').click());
    expect(await screen.findByText('unread 0 of 0')).toBeTruthy();
  });
});
