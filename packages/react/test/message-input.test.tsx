// @vitest-environment jsdom
import './helpers/node-realm.js';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, MessageInput, MessageList } from '../src/index.js';
import { renderAs, startServer } from './helpers/harness.js';

let server: TestServer;
let n = 0;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => cleanup());
afterAll(() => server.close());

async function freshChannel(): Promise<string> {
  const id = `input${++n}`;
  await server.createChannel('team', id, ['ana', 'ben'], 'ana');
  return id;
}

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const articles = () => document.querySelectorAll('article.parley-message');

describe('MessageInput and the maximum length', () => {
  it('counts near the limit and, over it, keeps the text, says why and sends nothing', async () => {
    const id = await freshChannel();
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <MessageList />
        <MessageInput />
      </Channel>,
    );
    await screen.findByText('No messages yet');
    fireEvent.change(box(), { target: { value: 'a'.repeat(4000) } });
    expect(document.querySelector('.parley-input-counter')).toBeNull();
    fireEvent.change(box(), { target: { value: '😀'.repeat(4600) } });
    // An emoji is one character, as the server counts.
    expect(screen.getByText('4,600 of 5,000 characters')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    const long = 'b'.repeat(5001);
    fireEvent.change(box(), { target: { value: long } });
    expect(screen.getByText('5,001 of 5,000 characters')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'The message is too long: 5,001 of at most 5,000 characters.',
    );
    expect(box().getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(box(), { key: 'Enter' });
    fireEvent.submit(box().form!);
    expect(box().value).toBe(long);
    expect(articles()).toHaveLength(0);

    // Shortened, it goes out and the error is gone.
    fireEvent.change(box(), { target: { value: long.slice(0, 5000) } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('');
    await waitFor(() => expect(articles()).toHaveLength(1));
    await waitFor(() => expect(document.querySelector('.parley-status-sending')).toBeNull());
    const stored = await server.api<{ messages: { text: string }[] }>(
      'GET',
      `/channels/team/${id}/messages`,
    );
    expect(stored.body.messages.map((m) => m.text.length)).toEqual([5000]);
  });

  it('puts the text back with the reason when the client refuses a send', async () => {
    const id = await freshChannel();
    // An app that set the limit above the server's: the client SDK refuses the text.
    renderAs(
      server,
      'ana',
      <Channel type="team" id={id}>
        <MessageList />
        <MessageInput maxLength={10_000} />
      </Channel>,
    );
    await screen.findByText('No messages yet');
    const long = 'c'.repeat(6000);
    fireEvent.change(box(), { target: { value: long } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.keyDown(box(), { key: 'Enter' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Not sent: text is longer than 5000 characters');
    expect(box().value).toBe(long);
    expect(articles()).toHaveLength(0);
  });
});
