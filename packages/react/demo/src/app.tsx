// The demo page: one user's chat, themed from the query (?user=ana&theme=atas).
import { StrictMode, useCallback } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Channel,
  ChannelList,
  ChatProvider,
  ConnectionBanner,
  MessageInput,
  MessageList,
  PinnedMessages,
  pt,
  Thread,
  TypingIndicator,
  useChatClient,
  type MessageAction,
} from '@parley/react';
import '@parley/react/styles.css';
import './demo.css';

/** What demo/src/server.ts puts into the page. */
interface DemoConfig {
  serverUrl: string;
  apiKey: string;
  channel: { type: string; id: string };
  users: { id: string; name: string }[];
}

type Theme = 'light' | 'dark' | 'atas';

const config = JSON.parse(
  document.getElementById('demo-config')?.textContent ?? '{}',
) as DemoConfig;
const query = new URLSearchParams(location.search);
const themeParam = query.get('theme');
const theme: Theme = themeParam === 'dark' || themeParam === 'atas' ? themeParam : 'light';
const userId = query.get('user') ?? '';
// ?window=N: the client keeps at most N messages per channel (the browser test uses a few).
const maxMessages = Number(query.get('window'));
const clientOptions = Number.isInteger(maxMessages) && maxMessages > 0 ? { maxMessages } : {};
const me = config.users.find((user) => user.id === userId);
// ?lang=pt: the kit's Portuguese table and pt-BR dates.
const portuguese = query.get('lang') === 'pt';
const ACTIONS: MessageAction[] = ['react', 'reply', 'quote', 'edit', 'delete', 'pin', 'copy'];

function Chat({ user }: { user: { id: string; name: string } }) {
  const tokenProvider = useCallback(
    () =>
      fetch(`/demo-token?user=${encodeURIComponent(user.id)}`).then((response) => {
        if (!response.ok) throw new Error(`no token for ${user.id}: HTTP ${response.status}`);
        return response.text();
      }),
    [user.id],
  );
  const { loading, error } = useChatClient({ userId: user.id, tokenProvider });
  return (
    <div className="demo-layout">
      <header className="demo-header">
        <h1>Parley demo</h1>
        <p>
          Signed in as <strong>{user.name}</strong>
        </p>
      </header>
      <ConnectionBanner />
      {error !== null ? (
        <p role="alert">Could not connect: {error.message}</p>
      ) : loading ? (
        <p role="status">Connecting…</p>
      ) : (
        <div className="demo-body">
          <aside className="demo-sidebar">
            <ChannelList activeCid={`${config.channel.type}:${config.channel.id}`} />
          </aside>
          <main className="demo-main">
            <Channel type={config.channel.type} id={config.channel.id}>
              <div className="demo-conversation">
                <div className="demo-column">
                  <MessageList messageActions={ACTIONS} />
                  <TypingIndicator />
                  <MessageInput />
                </div>
                <Thread messageActions={ACTIONS} />
              </div>
              <details className="demo-pinned">
                <summary>{portuguese ? 'Fixadas' : 'Pinned'}</summary>
                <PinnedMessages />
              </details>
            </Channel>
          </main>
        </div>
      )}
    </div>
  );
}

function Pick() {
  return (
    <main className="demo-pick">
      <h1>Parley demo</h1>
      <p>Open the demo as one of its users:</p>
      <ul>
        {config.users.map((user) => (
          <li key={user.id}>
            <a href={`?user=${user.id}&theme=${theme}`}>{user.name}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('the page has no #root');
createRoot(root).render(
  <StrictMode>
    <ChatProvider
      url={config.serverUrl}
      apiKey={config.apiKey}
      theme={theme}
      clientOptions={clientOptions}
      {...(portuguese ? { locale: 'pt-BR', messages: pt } : {})}
    >
      {me === undefined ? <Pick /> : <Chat user={me} />}
    </ChatProvider>
  </StrictMode>,
);
