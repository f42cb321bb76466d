// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import {
  Channel,
  MessageInput,
  MessageList,
  PinnedMessages,
  Thread,
  type EmojiPickerComponent,
} from '../src/index.js';
import { nodeClient, renderAs, startServer } from './helpers/harness.js';
import { activate, channelMaker, openMenu, say, storedArticle } from './helpers/rich-chat.js';

let server: TestServer;
let ben: ChatClient;
const freshChannel = channelMaker(() => server, 'thr');
beforeAll(async () => {
  server = await startServer();
  ben = await nodeClient(server, 'ben');
});
afterEach(() => cleanup());
afterAll(async () => {
  await ben.disconnect();
  await server.close();
});

describe('Thread panel', () => {
  it('opens from "Reply in thread", sends replies, shows the other member replies live, and closes', async () => {
    const id = await freshChannel();
    const parent = await say(ben, id, 'agenda for Friday?');
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <MessageList messageActions={['reply']} />
        <MessageInput />
        <Thread />
      </Channel>,
    );
    const article = await storedArticle('agenda for Friday?');
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
    await openMenu(article);
    activate(); // Reply in thread
    const panel = await screen.findByRole('complementary', { name: 'Thread' });
    expect(await within(panel).findByText('No replies yet')).toBeTruthy();
    expect(within(panel).getByText('agenda for Friday?')).toBeTruthy();
    const reply = within(panel).getByRole('textbox', { name: 'Reply' });
    await waitFor(() => expect(document.activeElement).toBe(reply));

    fireEvent.change(reply, { target: { value: 'talks first, then lunch' } });
    fireEvent.keyDown(reply, { key: 'Enter' });
    expect(await within(panel).findByText('talks first, then lunch')).toBeTruthy();
    // Shown at once, while it is still on its way: ben answers once it is stored.
    const replies = async () =>
      (
        await server.api<{ messages: { text: string }[] }>('GET', `/messages/${parent.id}/replies`)
      ).body.messages.map((m) => m.text);
    await waitFor(async () => expect(await replies()).toEqual(['talks first, then lunch']));
    await ben.channel('team', id).sendMessage({ text: 'works for me', parentId: parent.id });
    expect(await within(panel).findByText('works for me')).toBeTruthy();
    // Replies stay in the thread; the parent shows their count in the channel.
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).queryByText('talks first, then lunch')).toBeNull();
    expect(await within(article).findByRole('button', { name: /^2 replies/ })).toBeTruthy();
    expect(await replies()).toEqual(['talks first, then lunch', 'works for me']);

    act(() => within(panel).getByRole('button', { name: 'Close the thread' }).click());
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
    // The reply count opens it again.
    act(() =>
      within(article)
        .getByRole('button', { name: /^2 replies/ })
        .click(),
    );
    const again = await screen.findByRole('complementary', { name: 'Thread' });
    expect(await within(again).findByText('works for me')).toBeTruthy();
    fireEvent.keyDown(within(again).getByRole('textbox', { name: 'Reply' }), { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
  });
});

describe('Thread panel, "Also send to the channel"', () => {
  it('shows the reply in the thread and in the channel list', async () => {
    const id = await freshChannel();
    const parent = await say(ben, id, 'who brings the projector?');
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <MessageList />
        <Thread parentId={parent.id} />
      </Channel>,
    );
    const panel = await screen.findByRole('complementary', { name: 'Thread' });
    await within(panel).findByText('No replies yet');
    act(() => within(panel).getByRole('checkbox', { name: 'Also send to the channel' }).click());
    const reply = within(panel).getByRole('textbox', { name: 'Reply' });
    fireEvent.change(reply, { target: { value: 'I will' } });
    fireEvent.keyDown(reply, { key: 'Enter' });
    expect(await within(panel).findByText('I will')).toBeTruthy();
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(await within(log).findByText('I will')).toBeTruthy();
  });
});

describe('PinnedMessages', () => {
  it('lists the pinned messages and follows pins and unpins', async () => {
    const id = await freshChannel();
    const first = await say(ben, id, 'venue: Hall B');
    await say(ben, id, 'see you there');
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <PinnedMessages />
      </Channel>,
    );
    const region = await screen.findByRole('region', { name: 'Pinned messages' });
    expect(await within(region).findByText('No pinned messages')).toBeTruthy();
    await server.api('PATCH', `/messages/${first.id}`, { body: { pinned: true, user_id: 'ana' } });
    expect(await within(region).findByText('venue: Hall B')).toBeTruthy();
    expect(within(region).queryByText('see you there')).toBeNull();
    await server.api('PATCH', `/messages/${first.id}`, { body: { pinned: false, user_id: 'ana' } });
    expect(await within(region).findByText('No pinned messages')).toBeTruthy();
  });
});

describe('showing a pinned or quoted message', () => {
  it('"Show in the conversation" and a click on a quote load, show and mark the message', async () => {
    const id = await freshChannel();
    const post = async (body: Record<string, unknown>) => {
      const res = await server.api('POST', `/channels/team/${id}/messages`, { body });
      expect(res.status).toBe(201);
    };
    await post({ id: `${id}-venue`, text: 'venue: Hall B, 9:00', user_id: 'ben' });
    // Enough after it that the newest page does not hold it.
    for (let i = 1; i <= 70; i++) await post({ text: `filler ${i}`, user_id: 'ana' });
    await post({ text: 'as agreed', user_id: 'ana', quoted_message_id: `${id}-venue` });
    await server.api('PATCH', `/messages/${id}-venue`, { body: { pinned: true, user_id: 'ana' } });
    renderAs(
      server,
      'ben',
      <Channel type="team" id={id}>
        <PinnedMessages />
        <MessageList />
      </Channel>,
    );
    const log = await screen.findByRole('log', { name: 'Messages' });
    const focused = () => log.querySelector<HTMLElement>('[data-focused]')?.dataset['messageId'];
    const quoting = await storedArticle('as agreed');
    const venue = () => log.querySelector(`article[data-message-id="${id}-venue"]`);
    expect(venue()).toBeNull();

    act(() =>
      within(quoting)
        .getByRole('button', { name: /venue: Hall B/ })
        .click(),
    );
    await waitFor(() => expect(focused()).toBe(`${id}-venue`));
    expect(venue()!.textContent).toContain('venue: Hall B, 9:00');

    // The same message again, from the pinned list: shown and marked once more.
    delete log.querySelector<HTMLElement>('[data-focused]')!.dataset['focused'];
    const pinned = screen.getByRole('region', { name: 'Pinned messages' });
    await within(pinned).findByText('venue: Hall B, 9:00');
    act(() => within(pinned).getByRole('button', { name: 'Show in the conversation' }).click());
    await waitFor(() => expect(focused()).toBe(`${id}-venue`));
  });
});

describe('a plugged-in emoji picker', () => {
  it('is offered as "More reactions" and its pick becomes a reaction', async () => {
    const id = await freshChannel();
    await say(ben, id, 'we won!');
    const Picker: EmojiPickerComponent = ({ onPick }) => (
      <button type="button" onClick={() => onPick('🦄')}>
        unicorn
      </button>
    );
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <MessageList messageActions={['react']} emojiPicker={Picker} />
      </Channel>,
    );
    const article = await storedArticle('we won!');
    await openMenu(article);
    activate(); // React
    act(() => within(article).getByRole('menuitem', { name: 'More reactions' }).click());
    const dialog = within(article).getByRole('dialog', { name: 'Pick a reaction' });
    act(() => within(dialog).getByRole('button', { name: 'unicorn' }).click());
    expect(await within(article).findByRole('button', { name: '🦄 1: you' })).toBeTruthy();
    expect(within(article).queryByRole('dialog')).toBeNull();
  });
});
