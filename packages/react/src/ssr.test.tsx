// Node environment on purpose: no window, no document. Anything that touches them throws.
import { ChatClient } from '@parley/client';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChannelContext } from './components/channel-context.js';
import * as kit from './index.js';

const {
  ChatProvider,
  Channel,
  MessageList,
  MessageInput,
  TypingIndicator,
  ConnectionBanner,
  ChannelList,
  Thread,
  PinnedMessages,
  pt,
} = kit;

describe('server-side rendering', () => {
  it('runs without a window or document', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  const channelChildren: [string, ReactNode][] = [
    ['MessageList', <MessageList key="l" messageActions={['react', 'edit']} />],
    ['Thread', <Thread key="th" parentId="m1" />],
    ['PinnedMessages', <PinnedMessages key="p" />],
    ['MessageInput', <MessageInput key="i" />],
    ['TypingIndicator', <TypingIndicator key="t" />],
  ];
  const topLevel: [string, ReactNode][] = [
    ['Channel', <Channel key="c" type="team" id="general" />],
    ['ConnectionBanner', <ConnectionBanner key="b" />],
    ['ChannelList', <ChannelList key="cl" />],
  ];

  for (const [name, element] of topLevel) {
    it(`renders ${name} to a string`, () => {
      const html = renderToString(
        <ChatProvider url="http://127.0.0.1:1" theme="atas">
          {element}
        </ChatProvider>,
      );
      expect(html).toContain('parley-theme-atas');
    });
  }

  for (const [name, element] of channelChildren) {
    it(`renders ${name} inside a channel to a string`, () => {
      const client = new ChatClient({ url: 'http://127.0.0.1:1' });
      const channel = client.channel('team', 'general');
      const html = renderToString(
        <ChatProvider url="http://127.0.0.1:1" client={client} locale="pt-BR" messages={pt}>
          <ChannelContext.Provider value={{ channel }}>{element}</ChannelContext.Provider>
        </ChatProvider>,
      );
      expect(html.length).toBeGreaterThan(0);
    });
  }

  it('renders the Channel loading state for the server', () => {
    const html = renderToString(
      <ChatProvider url="http://127.0.0.1:1">
        <Channel type="team" id="general">
          <MessageList />
        </Channel>
      </ChatProvider>,
    );
    expect(html).toContain('Loading conversation…');
  });
});
