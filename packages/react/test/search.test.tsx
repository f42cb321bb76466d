// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { SearchResult } from '@parley/protocol';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, MessageList, SearchBox } from '../src/index.js';
import { renderAs, startServer } from './helpers/harness.js';

let server: TestServer;

async function send(cid: string, userId: string, id: string, text: string): Promise<void> {
  const [type, channelId] = cid.split(':');
  const res = await server.api('POST', `/channels/${type}/${channelId}/messages`, {
    body: { id, text, user_id: userId },
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  const trip = await server.api('POST', '/channels/team/trip', {
    body: { members: ['ana', 'ben'], created_by_id: 'ana', data: { name: 'Trip planning' } },
  });
  expect(trip.status).toBe(201);
  await server.createChannel('team', 'secret', ['cy', 'dee'], 'cy');
  await send('team:trip', 'ben', 'hotel-1', 'The hotel is booked for Friday');
  await send('team:general', 'ana', 'hotel-2', 'Which hotel did you pick?');
  await send('team:trip', 'ana', 'flight-1', 'Flight lands at 9');
  await send('team:secret', 'cy', 'hotel-secret', 'hotel for the two of us');
});
afterEach(() => cleanup());
afterAll(() => server.close());

const search = (text: string) => {
  fireEvent.change(screen.getByRole('searchbox', { name: 'Search messages' }), {
    target: { value: text },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Search' }));
};

/** Each result as shown: conversation, author, and the text with marked parts in [ ]. */
const shownResults = () =>
  Array.from(document.querySelectorAll('.parley-search-result')).map((result) => ({
    channel: result.querySelector('.parley-search-result-channel')?.textContent,
    author: result.querySelector('.parley-search-result-author')?.textContent,
    text: Array.from(result.querySelector('.parley-search-result-text')!.childNodes)
      .map((node) => (node.nodeName === 'MARK' ? `[${node.textContent}]` : node.textContent))
      .join(''),
  }));

describe('SearchBox', () => {
  it("finds words in the user's own conversations only, marks them, and hands the chosen result over", async () => {
    const onSelect = vi.fn<(result: SearchResult) => void>();
    renderAs(server, 'ana', <SearchBox sort="newest" onSelect={onSelect} />);
    await screen.findByRole('search');
    search('hotel');
    expect(await screen.findByText('2 messages match “hotel”')).toBeTruthy();
    // cy and dee's channel holds a match too: ana is not in it.
    expect(shownResults()).toEqual([
      { channel: 'general', author: 'Ana', text: 'Which [hotel] did you pick?' },
      { channel: 'Trip planning', author: 'Ben', text: 'The [hotel] is booked for Friday' },
    ]);
    fireEvent.click(screen.getByText('booked for Friday', { exact: false }).closest('button')!);
    expect(onSelect).toHaveBeenCalledTimes(1);
    expect(onSelect.mock.calls[0]![0].message.id).toBe('hotel-1');
    expect(onSelect.mock.calls[0]![0].channel.cid).toBe('team:trip');
  });

  it('says when nothing matches, and clearing the field clears the results', async () => {
    renderAs(server, 'ana', <SearchBox />);
    await screen.findByRole('search');
    search('submarine');
    expect(await screen.findByText('No messages match “submarine”')).toBeTruthy();
    search('flight');
    await waitFor(() => expect(shownResults()).toHaveLength(1));
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: '' } });
    await waitFor(() => expect(shownResults()).toHaveLength(0));
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('pages on with "More results" without repeating a result', async () => {
    renderAs(server, 'ben', <SearchBox limit={1} sort="newest" />);
    await screen.findByRole('search');
    search('hotel');
    expect(await screen.findByText('The first 1 message matching “hotel”')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'More results' }));
    await waitFor(() => expect(shownResults()).toHaveLength(2));
    expect(shownResults().map((r) => r.text)).toEqual([
      'Which [hotel] did you pick?',
      'The [hotel] is booked for Friday',
    ]);
    // Two matches in ben's conversations: no third page.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'More results' })).toBeNull());
  });

  it('searches one conversation when given its cid', async () => {
    renderAs(server, 'ana', <SearchBox cid="team:trip" />);
    await screen.findByRole('search');
    search('hotel');
    await waitFor(() => expect(shownResults()).toHaveLength(1));
    expect(shownResults()[0]!.channel).toBe('Trip planning');
  });

  it('shows a refused search as an error in place', async () => {
    renderAs(server, 'ana', <SearchBox cid="team:secret" />);
    await screen.findByRole('search');
    search('hotel');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Could not search: /);
    expect(shownResults()).toHaveLength(0);
  });
});

describe('Channel focusMessageId (jump to a message)', () => {
  it('loads the page around an old message, shows it and marks it', async () => {
    await server.createChannel('team', 'long', ['ana', 'ben'], 'ana');
    for (let i = 1; i <= 120; i++) {
      await send('team:long', i % 2 === 0 ? 'ana' : 'ben', `long-${i}`, `message number ${i}`);
    }
    renderAs(
      server,
      'ana',
      <Channel type="team" id="long" focusMessageId="long-7">
        <MessageList />
      </Channel>,
    );
    const log = await screen.findByRole('log');
    // The newest page does not hold message 7: it comes with the page around it.
    const focused = await waitFor(() => {
      const marked = log.querySelector<HTMLElement>('[data-focused]');
      expect(marked).not.toBeNull();
      return marked!;
    });
    expect(focused.dataset['messageId']).toBe('long-7');
    expect(focused.getAttribute('aria-label')).toBe('Found message');
    expect(within(focused).getByText('message number 7')).toBeTruthy();
    // Only one message is marked.
    expect(log.querySelectorAll('[data-focused]')).toHaveLength(1);
  });
});
