'use client';
import type { LocalMessage } from '@parley/client';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useChannelState } from '../hooks/use-channel-state.js';
import { useChatContext } from '../session/chat-context.js';
import { useChannelContext } from './channel-context.js';
import { MessageItem } from './message-item.js';
import { messageRows, seenMessageId } from './message-rows.js';
import { extendDown, extendUp, LIVE, resolveRange, type WindowRange } from './message-window.js';
import { userOf } from './user-name.js';

/** Pixels from an edge that count as being at it. */
const EDGE_PX = 48;

// Layout effects warn during server rendering; there is no layout to measure there anyway.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * The conversation: a polite log region of grouped messages with day separators. It stays at
 * the newest message unless the reader scrolled up (then "New messages" appears when some
 * arrive), loads older messages at the top without a jump, and renders a bounded window.
 */
export function MessageList() {
  const { client } = useChatContext();
  const { channel } = useChannelContext();
  const state = useChannelState(channel);
  const { messages } = state;
  const me = client.user?.id;
  const list = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<WindowRange>(LIVE);
  const [newCount, setNewCount] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const atBottom = useRef(true);
  /**
   * A message on screen whose position is kept when the window changes. `hold`: kept over
   * several renders (while an older page loads), not just the next one.
   */
  const anchor = useRef<{ id: string; offset: number; hold: boolean } | null>(null);
  const lastId = useRef<string | undefined>(undefined);
  const mountedLastId = useRef<string | undefined | null>(null);
  if (mountedLastId.current === null) mountedLastId.current = messages[messages.length - 1]?.id;

  const [from, to] = resolveRange(messages, range);
  const live = to === messages.length;
  const rows = useMemo(() => messageRows(messages, from, to), [messages, from, to]);
  const seenId = seenMessageId(state, me);
  const freshFrom = useMemo(() => {
    const mounted = mountedLastId.current;
    return mounted === undefined ? 0 : messages.findIndex((m) => m.id === mounted) + 1;
  }, [messages]);

  const keep = (id: string | undefined, hold = false) => {
    const element = id === undefined ? null : find(list.current, id);
    anchor.current =
      element === null || list.current === null || id === undefined
        ? null
        : { id, offset: element.offsetTop - list.current.scrollTop, hold };
  };

  const goLive = useCallback(() => {
    atBottom.current = true;
    setRange(LIVE);
    setNewCount(0);
    const element = list.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, []);

  // After the window moved: put the anchored message back where it was.
  useIsomorphicLayoutEffect(() => {
    const element = list.current;
    const kept = anchor.current;
    if (kept === null || !kept.hold) anchor.current = null;
    if (element === null) return;
    if (kept !== null) {
      const target = find(element, kept.id);
      if (target !== null) element.scrollTop = target.offsetTop - kept.offset;
    } else if (atBottom.current && live) {
      element.scrollTop = element.scrollHeight;
    }
  }, [range, messages, live, loadingOlder]);

  // New messages at the end: follow them at the bottom, else count them for the button.
  useEffect(() => {
    const last = messages[messages.length - 1];
    const previous = lastId.current;
    lastId.current = last?.id;
    if (last === undefined || previous === undefined || previous === last.id) return;
    if (messages.findIndex((m) => m.id === previous) === -1) return;
    if (last.user_id === me && last.status !== 'sent') return goLive(); // one's own send
    if (!(atBottom.current && live)) {
      const added = messages.length - 1 - messages.findIndex((m) => m.id === previous);
      setNewCount((n) => n + added);
    }
  }, [messages, me, live, goLive]);

  // Read while the newest messages are in view and the page is visible.
  useEffect(() => {
    if (
      state.unreadCount > 0 &&
      atBottom.current &&
      live &&
      document.visibilityState !== 'hidden'
    ) {
      channel.markRead();
    }
  }, [channel, state.unreadCount, live]);

  const onScroll = () => {
    const element = list.current;
    if (element === null) return;
    // The reader moved while an older page loads: keep the anchor where they put it.
    if (anchor.current?.hold === true) keep(anchor.current.id, true);
    const bottomGap = element.scrollHeight - element.scrollTop - element.clientHeight;
    atBottom.current = bottomGap <= EDGE_PX && live;
    if (atBottom.current) {
      setNewCount(0);
      if (channel.state.unreadCount > 0) channel.markRead();
    }
    if (element.scrollTop <= EDGE_PX) {
      if (from > 0) {
        keep(messages[from]?.id);
        setRange(extendUp(messages, [from, to]));
      } else if (channel.state.hasMoreOlder && !loadingOlder) {
        const first = messages[from]?.id;
        // Anchored now, while it is on screen: the page can render above it before the
        // request's promise settles (state changes re-render on their own).
        keep(first, true);
        setLoadingOlder(true);
        channel
          .loadOlder()
          .catch(() => undefined)
          .then(() => {
            const now = channel.state.messages;
            const index = now.findIndex((m) => m.id === first);
            if (index > 0) {
              setRange(extendUp(now, resolveRange(now, { start: first ?? null, end: range.end })));
            }
            // Applied once more, with the indicator gone and the window set, then dropped.
            if (anchor.current?.hold === true) anchor.current.hold = false;
            setLoadingOlder(false);
          });
      }
    } else if (bottomGap <= EDGE_PX && !live) {
      keep(messages[to - 1]?.id);
      setRange(extendDown(messages, [from, to]));
    }
  };

  return (
    <div className="parley-message-list-wrap">
      <div
        ref={list}
        className="parley-message-list"
        role="log"
        aria-live="polite"
        aria-label="Messages"
        tabIndex={0}
        onScroll={onScroll}
      >
        {loadingOlder ? (
          <p className="parley-loading-older" role="status">
            Loading earlier messages…
          </p>
        ) : null}
        {messages.length === 0 ? <p className="parley-empty">No messages yet</p> : null}
        {rows.map((row) =>
          row.kind === 'day' ? (
            <div key={row.key} className="parley-day-separator" role="separator">
              <span suppressHydrationWarning>{dayLabel(row.date)}</span>
            </div>
          ) : (
            <MessageItem
              key={row.key}
              message={row.message}
              author={author(row.message, state)}
              channel={channel}
              own={row.message.user_id === me}
              groupStart={row.groupStart}
              seen={row.message.id === seenId}
              fresh={row.index >= freshFrom}
            />
          ),
        )}
      </div>
      {newCount > 0 ? (
        <button type="button" className="parley-button parley-new-messages" onClick={goLive}>
          New messages
        </button>
      ) : null}
    </div>
  );
}

function author(message: LocalMessage, state: Parameters<typeof userOf>[0]) {
  return message.user ?? userOf(state, message.user_id ?? '');
}

function find(root: HTMLElement | null, id: string): HTMLElement | null {
  if (root === null) return null;
  for (const element of root.querySelectorAll<HTMLElement>('[data-message-id]')) {
    if (element.dataset.messageId === id) return element;
  }
  return null;
}

function dayLabel(date: Date): string {
  return date.toLocaleDateString(undefined, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}
