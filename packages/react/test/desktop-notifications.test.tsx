// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { DesktopNotifications, useDesktopNotifications } from '../src/index.js';
import { nodeClient, renderAs, startServer } from './helpers/harness.js';

/**
 * The browser's Notification API as far as the kit uses it (jsdom has none): records
 * what would be shown, and the permission the user would grant.
 */
class RecordingNotification {
  static permission: NotificationPermission = 'default';
  static answer: NotificationPermission = 'granted';
  static shown: RecordingNotification[] = [];
  static requestPermission = vi.fn(async () => {
    RecordingNotification.permission = RecordingNotification.answer;
    return RecordingNotification.answer;
  });
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    RecordingNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

let server: TestServer;
const others: ChatClient[] = [];
beforeAll(async () => {
  server = await startServer();
});
beforeEach(() => {
  RecordingNotification.permission = 'default';
  RecordingNotification.answer = 'granted';
  RecordingNotification.shown = [];
  RecordingNotification.requestPermission.mockClear();
  (globalThis as { Notification?: unknown }).Notification = RecordingNotification;
  localStorage.clear();
  setVisibility('hidden');
});
afterEach(async () => {
  cleanup();
  delete (globalThis as { Notification?: unknown }).Notification;
  await Promise.all(others.splice(0).map((c) => c.disconnect()));
});
afterAll(() => server.close());

async function ana(): Promise<ChatClient> {
  const client = await nodeClient(server, 'ana');
  others.push(client);
  const channel = client.channel('team', 'general');
  await channel.watch();
  return client;
}

const say = (client: ChatClient, text: string) =>
  client.channel('team', 'general').sendMessage({ text });

describe('DesktopNotifications', () => {
  it('asks permission only when clicked, then notifies of messages from others while the tab is hidden; a click opens the conversation', async () => {
    const opened: string[] = [];
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    renderAs(server, 'ben', <DesktopNotifications onOpen={(cid) => opened.push(cid)} />);
    const enable = await screen.findByRole('button', { name: 'Turn on desktop notifications' });
    expect(RecordingNotification.requestPermission).not.toHaveBeenCalled();
    fireEvent.click(enable);
    await screen.findByText('Desktop notifications are on.');
    expect(RecordingNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem('parley.desktop-notifications')).toBe('on');

    const other = await ana();
    await say(other, 'Are you <b>there</b>?');
    await waitFor(() => expect(RecordingNotification.shown).toHaveLength(1));
    const [shown] = RecordingNotification.shown;
    expect(shown!.title).toBe('Ana');
    expect(shown!.options).toMatchObject({ body: 'Are you <b>there</b>?', tag: 'team:general' });

    act(() => shown!.onclick!());
    expect(focus).toHaveBeenCalled();
    expect(shown!.closed).toBe(true);
    expect(opened).toEqual(['team:general']);

    // A visible tab shows nothing: the user sees the message.
    setVisibility('visible');
    await say(other, 'now you see me');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(RecordingNotification.shown).toHaveLength(1);
    focus.mockRestore();
  });

  it('says so when the browser blocks notifications, and shows none', async () => {
    RecordingNotification.answer = 'denied';
    renderAs(server, 'ben', <DesktopNotifications />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on desktop notifications' }));
    await screen.findByText(/blocked for this site/);
    const other = await ana();
    await say(other, 'hello?');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(RecordingNotification.shown).toEqual([]);
  });

  it('renders nothing where the browser has no Notification API', async () => {
    delete (globalThis as { Notification?: unknown }).Notification;
    const { container } = renderAs(server, 'ben', <DesktopNotifications />);
    await waitFor(() => expect(container.textContent).not.toContain('connecting'));
    expect(container.querySelector('.parley-desktop-notifications')).toBeNull();
  });
});

describe('useDesktopNotifications', () => {
  function MentionsOnly() {
    useDesktopNotifications({ enabled: true, mentionsOnly: true });
    return <p>ready</p>;
  }

  it("with mentionsOnly, notifies of mentions alone, and never of the user's own messages", async () => {
    RecordingNotification.permission = 'granted';
    renderAs(server, 'ben', <MentionsOnly />);
    await screen.findByText('ready');
    // Through the app backend: the client SDK sends no mentions yet.
    const post = (userId: string, text: string, mentioned?: string[]) =>
      server.api('POST', '/channels/team/general/messages', {
        body: { text, user_id: userId, ...(mentioned ? { mentioned_users: mentioned } : {}) },
      });
    await post('ana', 'for everyone');
    await post('ana', '@ben for you', ['ben']);
    await post('ben', '@ben talking to myself', ['ben']);
    await waitFor(() => expect(RecordingNotification.shown).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(RecordingNotification.shown.map((n) => n.options.body)).toEqual(['@ben for you']);
  });
});
