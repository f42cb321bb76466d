import type { ChatClient } from '@parley/client';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'vitest';
import type { TestServer } from '../../../server/test/helpers/test-server.js';

/** A fresh channel `team:<prefix><n>` of ana (its owner) and ben. */
export function channelMaker(server: () => TestServer, prefix: string) {
  let n = 0;
  return async (): Promise<string> => {
    const id = `${prefix}${++n}`;
    await server().createChannel('team', id, ['ana', 'ben'], 'ana');
    return id;
  };
}

/** `client` says `text` in `team:id` (and watches it first). */
export async function say(
  client: ChatClient,
  id: string,
  text: string,
  more: { mentionedUsers?: string[] } = {},
) {
  const channel = client.channel('team', id);
  if (!channel.state.watching) await channel.watch();
  return channel.sendMessage({ text, ...more });
}

/** The message article whose text is `text`, once it is stored (not "Sending…"). */
export async function storedArticle(text: string): Promise<HTMLElement> {
  // By the whole text: links and mentions split it into several elements.
  const node = await screen.findByText(
    (_, element) =>
      element?.classList.contains('parley-message-text') === true &&
      element.textContent?.trim() === text,
  );
  const article = node.closest('article')!;
  await waitFor(() => expect(article.querySelector('.parley-status-sending')).toBeNull());
  return article as HTMLElement;
}

/** Opens the actions menu of `article` from the keyboard; returns the menu. */
export async function openMenu(article: HTMLElement): Promise<HTMLElement> {
  const button = await within(article).findByRole('button', { name: 'Message actions' });
  act(() => button.focus());
  fireEvent.keyDown(button, { key: 'ArrowDown' });
  return within(article).getByRole('menu');
}

/** Activates the focused menu item, as Enter on a button does in a browser. */
export function activate(): void {
  act(() => (document.activeElement as HTMLElement).click());
}

/** The labels of a menu's items. */
export const itemLabels = (menu: HTMLElement) =>
  Array.from(menu.querySelectorAll('[role^="menuitem"]')).map((i) => i.textContent);
