// @vitest-environment jsdom
import './helpers/node-realm.js';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, MessageInput, MessageList } from '../src/index.js';
import { renderAs, startServer } from './helpers/harness.js';
import { storedArticle } from './helpers/rich-chat.js';

let server: TestServer;
let n = 0;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => cleanup());
afterAll(() => server.close());

async function open(): Promise<{ id: string; box: HTMLTextAreaElement }> {
  const id = `men${++n}`;
  await server.createChannel('team', id, ['ana', 'ben', 'cy', 'dee'], 'ana');
  renderAs(
    server,
    'ana',
    <Channel type="team" id={id}>
      <MessageList />
      <MessageInput />
    </Channel>,
  );
  await screen.findByText('No messages yet');
  return { id, box: screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement };
}

/** Types `value` with the caret at its end. */
function type(box: HTMLTextAreaElement, value: string) {
  fireEvent.change(box, { target: { value, selectionStart: value.length } });
}

const options = () =>
  within(screen.getByRole('listbox', { name: 'Members to mention' }))
    .getAllByRole('option')
    .map((o) => [o.textContent, o.getAttribute('aria-selected')]);

describe('@mention autocomplete in MessageInput', () => {
  it('offers the other members, moves with arrows, picks with Enter and sends mentionedUsers', async () => {
    const { id, box } = await open();
    type(box, 'hi @');
    expect(options()).toEqual([
      ['Ben', 'true'],
      ['Cy', 'false'],
      ['Dee', 'false'],
    ]);
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]!.id);
    type(box, 'hi @d');
    expect(options()).toEqual([['Dee', 'true']]);
    type(box, 'hi @');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(options()[0]).toEqual(['Ben', 'true']);
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(options()[2]).toEqual(['Dee', 'true']);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('hi @Dee ');
    expect(screen.queryByRole('listbox')).toBeNull();
    type(box, 'hi @Dee and @c');
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(box.value).toBe('hi @Dee and @Cy ');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('');

    const article = await storedArticle('hi @Dee and @Cy');
    const mentions = Array.from(article.querySelectorAll('.parley-mention'));
    expect(mentions.map((m) => m.textContent)).toEqual(['@Dee', '@Cy']);
    const stored = await server.api<{ messages: { mentioned_users: { id: string }[] }[] }>(
      'GET',
      `/channels/team/${id}/messages`,
    );
    expect(stored.body.messages[0]!.mentioned_users.map((u) => u.id).sort()).toEqual(['cy', 'dee']);
  });

  it('closes with Escape, keeping the text; Enter then sends it as typed', async () => {
    const { box } = await open();
    type(box, 'email @be');
    expect(options()).toEqual([['Ben', 'true']]);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box.value).toBe('email @be');
    fireEvent.keyDown(box, { key: 'Enter' });
    const article = await storedArticle('email @be');
    await waitFor(() => expect(article.querySelector('.parley-mention')).toBeNull());
  });
});
