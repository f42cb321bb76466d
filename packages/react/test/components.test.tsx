// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, MessageInput, MessageList, TypingIndicator } from '../src/index.js';
import { nodeClient, renderAs, startServer } from './helpers/harness.js';

let server: TestServer;
let ben: ChatClient;
let n = 0;
beforeAll(async () => {
  server = await startServer();
  ben = await nodeClient(server, 'ben');
});
afterEach(() => cleanup());
afterAll(async () => {
  await ben.disconnect();
  await server.close();
});

/** A fresh channel of ana and ben for each test. */
async function freshChannel(): Promise<string> {
  const id = `c${++n}`;
  await server.createChannel('team', id, ['ana', 'ben'], 'ana');
  return id;
}

function chat(id: string) {
  return (
    <Channel type="team" id={id}>
      <MessageList />
      <TypingIndicator />
      <MessageInput />
    </Channel>
  );
}

async function benSays(id: string, text: string) {
  const channel = ben.channel('team', id);
  if (!channel.state.watching) await channel.watch();
  return channel.sendMessage({ text });
}

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const articles = () => Array.from(document.querySelectorAll('article.parley-message'));

describe('Channel with MessageList and MessageInput', () => {
  it('shows the empty state, then what is typed: Enter sends, Shift+Enter keeps a new line', async () => {
    const id = await freshChannel();
    renderAs(server, 'ana', chat(id));
    expect(await screen.findByText('No messages yet')).toBeTruthy();
    fireEvent.change(box(), { target: { value: 'first line' } });
    fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true });
    expect(articles()).toHaveLength(0);
    fireEvent.change(box(), { target: { value: 'first line\nsecond line' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('');
    await waitFor(() => expect(articles()).toHaveLength(1));
    const article = articles()[0]!;
    expect(article.classList.contains('parley-message-own')).toBe(true);
    expect(article.querySelector('.parley-message-text')!.textContent).toBe(
      'first line\nsecond line',
    );
    await waitFor(() => expect(article.querySelector('.parley-status-sending')).toBeNull());
  });

  it('renders message text as text: markup someone sends shows literally and runs nothing', async () => {
    const id = await freshChannel();
    const evil = '<img src=x onerror="globalThis.pwned=1"><b>bold</b>';
    await benSays(id, evil);
    renderAs(server, 'ana', chat(id));
    const text = await screen.findByText(evil);
    expect(text.querySelector('img, b')).toBeNull();
    expect(document.querySelector('.parley-message-list img')).toBeNull();
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('groups messages of one author and separates the day', async () => {
    const id = await freshChannel();
    await benSays(id, 'one');
    await benSays(id, 'two');
    renderAs(server, 'ana', chat(id));
    await screen.findByText('two');
    fireEvent.change(box(), { target: { value: 'three' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    await waitFor(() => expect(articles()).toHaveLength(3));
    const starts = articles().map((a) => a.classList.contains('parley-message-group-start'));
    expect(starts).toEqual([true, false, true]);
    expect(screen.getAllByRole('separator')).toHaveLength(1);
    expect(screen.getAllByText('Ben')).toHaveLength(1);
  });

  it('shows "Seen" under ana\'s latest message once ben has read it', async () => {
    const id = await freshChannel();
    renderAs(server, 'ana', chat(id));
    await screen.findByText('No messages yet');
    fireEvent.change(box(), { target: { value: 'did you get the tickets?' } });
    fireEvent.submit(box().form!);
    await waitFor(() => expect(articles()[0]?.querySelector('.parley-status-sending')).toBeNull());
    expect(document.querySelector('.parley-seen')).toBeNull();
    const channel = ben.channel('team', id);
    await channel.watch();
    channel.markRead();
    await waitFor(() =>
      expect(articles()[0]!.querySelector('.parley-seen')?.textContent).toBe('Seen'),
    );
  });

  it('marks a refused send failed with Retry, and Retry sends it once allowed', async () => {
    const id = await freshChannel();
    renderAs(server, 'ana', chat(id));
    await screen.findByText('No messages yet');
    // Removed from the channel, ana's send is refused for good (not_member).
    await server.api('DELETE', `/channels/team/${id}/members`, { body: { user_ids: ['ana'] } });
    fireEvent.change(box(), { target: { value: 'am I still here?' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(document.querySelector('.parley-status-failed')).not.toBeNull();
    await server.api('POST', `/channels/team/${id}/members`, { body: { user_ids: ['ana'] } });
    act(() => retry.click());
    await waitFor(() => expect(document.querySelector('.parley-status-failed')).toBeNull());
    await waitFor(() => expect(document.querySelector('.parley-status-sending')).toBeNull());
    expect(screen.getByText('am I still here?')).toBeTruthy();
  });

  it('follows new messages at the bottom; scrolled up, it offers "New messages" and goes down on click', async () => {
    const id = await freshChannel();
    for (let i = 0; i < 5; i++) await benSays(id, `old ${i}`);
    renderAs(server, 'ana', chat(id));
    await screen.findByText('old 4');
    const log = screen.getByRole('log', { name: 'Messages' });
    // jsdom has no layout: give the list one.
    let top = 0;
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 2000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 500 });
    Object.defineProperty(log, 'scrollTop', {
      configurable: true,
      get: () => top,
      set: (value: number) => (top = Math.min(value, 1500)),
    });
    top = 1500;
    fireEvent.scroll(log);
    await benSays(id, 'while at the bottom');
    await screen.findByText('while at the bottom');
    expect(top).toBe(1500);
    expect(document.querySelector('.parley-new-messages')).toBeNull();

    top = 600; // the reader scrolled up
    fireEvent.scroll(log);
    await benSays(id, 'while scrolled up');
    await screen.findByText('while scrolled up');
    expect(top).toBe(600);
    const button = await screen.findByRole('button', { name: 'New messages' });
    act(() => button.click());
    expect(top).toBe(1500);
    expect(screen.queryByRole('button', { name: 'New messages' })).toBeNull();
  });

  it('shows what ben types in the typing indicator', async () => {
    const id = await freshChannel();
    renderAs(server, 'ana', chat(id));
    await screen.findByText('No messages yet');
    const channel = ben.channel('team', id);
    await channel.watch();
    channel.keystroke();
    expect(await screen.findByText('Ben is typing…')).toBeTruthy();
    channel.stopTyping();
    await waitFor(() => expect(document.querySelector('.parley-typing')!.textContent).toBe(''));
  });

  it('switches the theme class on the provider', async () => {
    const id = await freshChannel();
    const view = renderAs(server, 'ana', chat(id), { theme: 'atas' });
    expect(view.container.querySelector('.parley.parley-theme-atas')).not.toBeNull();
    view.unmount();
    const dark = renderAs(server, 'ana', chat(id), { theme: 'dark' });
    const root = dark.container.querySelector('.parley')!;
    expect(root.classList.contains('parley-theme-dark')).toBe(true);
    expect(root.getAttribute('data-parley-theme')).toBe('dark');
    expect(root.classList.contains('parley-theme-atas')).toBe(false);
  });
});
