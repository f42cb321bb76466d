// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, MessageInput, MessageList, type MessageAction } from '../src/index.js';
import { nodeClient, renderAs, startServer } from './helpers/harness.js';
import {
  activate,
  channelMaker,
  itemLabels,
  openMenu,
  say,
  storedArticle,
} from './helpers/rich-chat.js';

const ALL: MessageAction[] = ['react', 'reply', 'quote', 'edit', 'delete', 'pin', 'copy'];
let server: TestServer;
let ben: ChatClient;
const freshChannel = channelMaker(() => server, 'act');
const writeText = vi.fn(() => Promise.resolve());
beforeAll(async () => {
  server = await startServer();
  ben = await nodeClient(server, 'ben');
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
});
afterEach(() => cleanup());
afterAll(async () => {
  await ben.disconnect();
  await server.close();
});

function chat(id: string, actions: MessageAction[] = ALL) {
  return (
    <Channel type="team" id={id}>
      <MessageList messageActions={actions} />
      <MessageInput />
    </Channel>
  );
}

/** Ben's view of his message `id` in `team:cid`. */
const bensCopy = (cid: string, messageId: string) =>
  ben.channel('team', cid).state.messages.find((m) => m.id === messageId);

describe('message actions menu', () => {
  it('opens from the keyboard, moves with arrows, Home and End, and Escape returns focus', async () => {
    const id = await freshChannel();
    await say(ben, id, 'lunch at noon?');
    renderAs(server, 'ana', chat(id));
    const article = await storedArticle('lunch at noon?');
    const menu = await openMenu(article);
    const button = within(article).getByRole('button', { name: 'Message actions' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(menu.id);
    // Ana owns the channel: she may delete and pin Ben's message, not edit it.
    expect(itemLabels(menu)).toEqual([
      'React',
      'Reply in thread',
      'Quote',
      'Delete',
      'Pin',
      'Copy text',
    ]);
    const focused = () => document.activeElement?.textContent;
    expect(focused()).toBe('React');
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(focused()).toBe('Reply in thread');
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    expect(focused()).toBe('Copy text');
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(focused()).toBe('React');
    fireEvent.keyDown(menu, { key: 'End' });
    expect(focused()).toBe('Copy text');
    fireEvent.keyDown(menu, { key: 'Home' });
    expect(focused()).toBe('React');

    // jsdom has no layout or canvas: contrast is checked by the browser test.
    const results = await axe.run(article, {
      resultTypes: ['violations'],
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);

    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(within(article).queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    // ArrowUp opens it on the last item; Copy text copies and closes.
    fireEvent.keyDown(button, { key: 'ArrowUp' });
    expect(focused()).toBe('Copy text');
    activate();
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('lunch at noon?'));
    expect(document.activeElement).toBe(button);
  });

  it('shows only the chosen actions, where they apply', async () => {
    const id = await freshChannel();
    await say(ben, id, 'from ben');
    renderAs(server, 'ana', chat(id, ['edit', 'react']));
    const menu = await openMenu(await storedArticle('from ben'));
    expect(itemLabels(menu)).toEqual(['React']);
  });

  it('reacts from the menu: the bar shows the count and who, and the other member gets it', async () => {
    const id = await freshChannel();
    const sent = await say(ben, id, 'ship it?');
    renderAs(server, 'ana', chat(id));
    const article = await storedArticle('ship it?');
    await openMenu(article);
    activate(); // React
    const picker = within(article).getByRole('menu', { name: 'Pick a reaction' });
    expect(document.activeElement?.textContent).toBe('👍');
    expect(itemLabels(picker)).toEqual(['👍', '❤️', '😂', '😮', '😢', '🎉']);
    activate();
    const bar = await within(article).findByRole('group', { name: 'Reactions' });
    const thumbs = within(bar).getByRole('button', { name: '👍 1: you' });
    expect(thumbs.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(bensCopy(id, sent.id)?.reaction_counts).toEqual({ '👍': 1 }));

    await ben.channel('team', id).sendReaction(sent.id, '👍');
    expect(await within(bar).findByRole('button', { name: '👍 2: Ben and you' })).toBeTruthy();
    // The bar toggles the viewer's own reaction off.
    act(() => within(bar).getByRole('button', { name: '👍 2: Ben and you' }).click());
    expect(await within(bar).findByRole('button', { name: '👍 1: Ben' })).toBeTruthy();
    await waitFor(() => expect(bensCopy(id, sent.id)?.reaction_counts).toEqual({ '👍': 1 }));
  });

  it('edits inline: Enter saves and shows "(edited)" to both; Escape leaves it as it was', async () => {
    const id = await freshChannel();
    renderAs(server, 'ana', chat(id));
    await screen.findByText('No messages yet');
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'meet at 9' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    const article = await storedArticle('meet at 9');
    const menu = await openMenu(article);
    expect(itemLabels(menu)).toEqual([
      'React',
      'Reply in thread',
      'Quote',
      'Edit',
      'Delete',
      'Pin',
      'Copy text',
    ]);
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('Edit');
    activate();
    const editor = await within(article).findByRole('textbox', { name: 'Edit message' });
    await waitFor(() => expect(document.activeElement).toBe(editor));
    fireEvent.change(editor, { target: { value: 'meet at 10' } });
    fireEvent.keyDown(editor, { key: 'Escape' });
    expect(article.querySelector('.parley-message-text')!.textContent).toBe('meet at 9');

    await openMenu(article);
    act(() => within(article).getByRole('menuitem', { name: 'Edit' }).click());
    const again = within(article).getByRole('textbox', { name: 'Edit message' });
    fireEvent.change(again, { target: { value: 'meet at 10' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    await waitFor(() =>
      expect(article.querySelector('.parley-message-text')!.textContent).toBe(
        'meet at 10 (edited)',
      ),
    );
    expect(document.activeElement).toBe(
      within(article).getByRole('button', { name: 'Message actions' }),
    );
    const messageId = article.getAttribute('data-message-id')!;
    await ben.channel('team', id).watch();
    await waitFor(() => expect(bensCopy(id, messageId)?.text).toBe('meet at 10'));
    expect(bensCopy(id, messageId)?.edited_at).not.toBeNull();
  });

  it('deletes after a confirmation: both see the "Message deleted" tombstone', async () => {
    const id = await freshChannel();
    const sent = await say(ben, id, 'wrong channel, sorry');
    renderAs(server, 'ana', chat(id));
    const article = await storedArticle('wrong channel, sorry');
    await openMenu(article);
    act(() => within(article).getByRole('menuitem', { name: 'Delete' }).click());
    const confirm = within(article).getByRole('menu');
    expect(confirm.textContent).toContain('Delete this message?');
    expect(itemLabels(confirm)).toEqual(['Delete', 'Cancel']);
    expect(document.activeElement?.textContent).toBe('Delete');
    activate();
    await waitFor(() =>
      expect(article.querySelector('.parley-message-text')!.textContent).toBe('Message deleted'),
    );
    expect(screen.queryByText('wrong channel, sorry')).toBeNull();
    await waitFor(() => expect(bensCopy(id, sent.id)?.deleted_at).not.toBeNull());
  });

  it('pins and unpins', async () => {
    const id = await freshChannel();
    await say(ben, id, 'the address is 5 Main St');
    renderAs(server, 'ana', chat(id));
    const article = await storedArticle('the address is 5 Main St');
    await openMenu(article);
    act(() => within(article).getByRole('menuitem', { name: 'Pin' }).click());
    expect(await within(article).findByText('Pinned')).toBeTruthy();
    await openMenu(article);
    act(() => within(article).getByRole('menuitem', { name: 'Unpin' }).click());
    await waitFor(() => expect(within(article).queryByText('Pinned')).toBeNull());
  });

  it('quotes: the input shows the quote, and the message sent carries its preview', async () => {
    const id = await freshChannel();
    await say(ben, id, 'which room?');
    renderAs(server, 'ana', chat(id));
    const article = await storedArticle('which room?');
    await openMenu(article);
    act(() => within(article).getByRole('menuitem', { name: 'Quote' }).click());
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(await screen.findByText('Quoting Ben')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(box));
    fireEvent.change(box, { target: { value: 'room 4' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.queryByText('Quoting Ben')).toBeNull();
    const reply = await storedArticle('room 4');
    expect(within(reply).getByLabelText('Quote of Ben').textContent).toBe('Benwhich room?');
  });
});
