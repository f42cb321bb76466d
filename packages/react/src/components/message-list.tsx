'use client';
import type { LocalMessage } from '@parley/client';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useChannelState } from '../hooks/use-channel-state.js';
import { useTranslator } from '../i18n/locale-context.js';
import { useChatContext } from '../session/chat-context.js';
import { useChannelContext } from './channel-context.js';
import { useComposer, type ShownMessage } from './composer-context.js';
import type { EmojiPickerComponent } from './emoji-set.js';
import { actionsFor, type MessageAction } from './message-action-types.js';
import { MessageItem } from './message-item.js';
import { messageRows, seenMessageId } from './message-rows.js';
import { loadLinkifier } from './linkifier.js';
import {
  extendDown,
  extendUp,
  LIVE,
  rangeAround,
  resolveRange,
  type WindowRange,
} from './message-window.js';
import { anchorAt, restore, topVisible, type ScrollAnchor } from './scroll-anchor.js';
import { userOf } from './user-name.js';

/** Pixels from an edge that count as being at it. */
const EDGE_PX = 48;

// Layout effects warn during server rendering; there is no layout to measure there anyway.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** What `MessageList` takes. */
export interface MessageListProps {
  /**
   * The entries of each message's actions menu, in this order: `react`, `reply` (in thread),
   * `quote`, `edit`, `delete`, `pin`, `copy` (text). Each shows only where the viewer may use
   * it. Default none: no menu.
   */
  messageActions?: readonly MessageAction[];
  /** A full emoji picker offered as "More reactions" besides the built-in few. */
  emojiPicker?: EmojiPickerComponent;
}

const NO_ACTIONS: readonly MessageAction[] = [];

/**
 * The conversation: a polite log region of grouped messages with day separators. It stays at
 * the newest message unless the reader scrolled up (then "New messages" appears when some
 * arrive), loads older messages at the top and newer ones at the bottom without a jump, and
 * renders a bounded window. What the reader looks at stays put when messages are added or
 * dropped above it (the client keeps a bounded window of messages too).
 */
export function MessageList({ messageActions = NO_ACTIONS, emojiPicker }: MessageListProps = {}) {
  const { client } = useChatContext();
  const { channel, focusMessageId, focusRequest } = useChannelContext();
  const composer = useComposer();
  const state = useChannelState(channel);
  const translator = useTranslator();
  const { t } = translator;
  const { messages } = state;
  const me = client.user?.id;
  const list = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<WindowRange>(LIVE);
  const [newCount, setNewCount] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const atBottom = useRef(true);
  /** Going to the latest messages, which are being loaded: stay at the bottom meanwhile. */
  const jumping = useRef(false);
  /**
   * Jumps so far (to the latest, to a focused message): a page asked at an edge before the
   * last jump does not move the window when it arrives.
   */
  const jumps = useRef(0);
  /**
   * A message on screen whose position is kept when the window changes. `hold`: kept over
   * several renders (while a page loads), not just the next one.
   */
  const anchor = useRef<(ScrollAnchor & { hold: boolean }) | null>(null);
  /** What the reader looked at after the last render or scroll, kept when nothing else is. */
  const reading = useRef<ScrollAnchor | null>(null);
  const lastId = useRef<string | undefined>(undefined);
  /** The focused message, once its window is set: scrolled to on the next render. */
  const focusing = useRef<string | null>(null);
  /** What was there when the list mounted: anything after it arrived while shown. */
  const mounted = useRef<{ seq: number; pending: Set<string> } | null>(null);
  mounted.current ??= {
    seq: messages.reduce((seq, m) => Math.max(seq, m.seq), 0),
    pending: new Set(messages.filter((m) => m.status !== 'sent').map((m) => m.id)),
  };
  const isFresh = (message: LocalMessage) =>
    message.status === 'sent'
      ? message.seq > mounted.current!.seq
      : !mounted.current!.pending.has(message.id);

  const [from, to] = resolveRange(messages, range);
  // At the end of what is loaded, and what is loaded reaches the newest message.
  const live = to === messages.length && !state.hasMoreNewer;
  const rows = useMemo(
    () => messageRows(messages, from, to, translator.dayKey),
    [messages, from, to, translator],
  );
  const seenId = seenMessageId(state, me);
  const viewer = {
    id: me,
    member: me === undefined ? undefined : state.members[me],
    role: client.user?.role,
    composer: composer !== null,
    clipboard: typeof navigator !== 'undefined' && navigator.clipboard !== undefined,
  };
  const onOpenThread = useCallback(
    (message: LocalMessage) => composer?.openThread(message.id),
    [composer],
  );
  const onQuote = useCallback((message: LocalMessage) => composer?.quote(message), [composer]);
  const onShowMessage = useCallback(
    (message: ShownMessage) => composer?.showMessage(message),
    [composer],
  );
  // The same list for the same actions, so unchanged messages are not rendered again.
  const actionLists = useRef(new Map<string, readonly MessageAction[]>());
  const actionsOf = (message: LocalMessage): readonly MessageAction[] => {
    if (messageActions.length === 0) return NO_ACTIONS;
    const list = actionsFor(message, messageActions, viewer);
    const key = list.join(' ');
    const known = actionLists.current.get(key);
    if (known !== undefined) return known;
    actionLists.current.set(key, list);
    return list;
  };

  const keep = (id: string | undefined, hold = false) => {
    const at = anchorAt(list.current, id);
    anchor.current = at === null ? null : { ...at, hold };
  };

  const goLive = useCallback(() => {
    jumps.current++;
    atBottom.current = true;
    anchor.current = null;
    setRange(LIVE);
    setNewCount(0);
    // Scrolled far back, the client holds older pages only: the latest replace them.
    if (channel.state.hasMoreNewer) {
      jumping.current = true;
      void channel
        .loadLatest()
        .catch(() => undefined)
        .then(() => (jumping.current = false));
    }
    const element = list.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [channel]);

  // After the window or the messages changed: put the anchored message back where it was,
  // else what the reader was looking at, else follow the newest.
  useIsomorphicLayoutEffect(() => {
    const element = list.current;
    const kept = anchor.current;
    if (kept === null || !kept.hold) anchor.current = null;
    if (element === null) return;
    const following = atBottom.current && (live || jumping.current);
    if (kept !== null) restore(element, kept);
    else if (following) element.scrollTop = element.scrollHeight;
    else if (reading.current !== null) restore(element, reading.current);
    reading.current = following ? null : topVisible(element);
  }, [range, messages, live, loadingOlder, loadingNewer]);

  // A message to show (a search result, a pin, a quote): load the page around it when it is
  // not here, render the window around it, then scroll to it and mark it. Each request is
  // carried out, also for the message shown last (the reader may have scrolled away).
  useEffect(() => {
    if (focusMessageId === undefined) return;
    let cancelled = false;
    const show = (): boolean => {
      const now = channel.state.messages;
      const index = now.findIndex((m) => m.id === focusMessageId);
      if (index === -1) return false;
      jumps.current++;
      atBottom.current = false;
      anchor.current = null;
      focusing.current = focusMessageId;
      setRange(rangeAround(now, index));
      return true;
    };
    if (!show()) {
      channel.loadAround(focusMessageId).then(
        () => void (cancelled || show()),
        () => undefined,
      );
    }
    return () => {
      cancelled = true;
    };
  }, [channel, focusMessageId, focusRequest]);

  // After the window above settled: the focused message to the middle, marked. The mark is
  // a data attribute set here rather than a prop, so that no row re-renders for it.
  useIsomorphicLayoutEffect(() => {
    const element = list.current;
    const id = focusing.current;
    if (element === null || id === null) return;
    const target = Array.from(element.querySelectorAll<HTMLElement>('[data-message-id]')).find(
      (row) => row.dataset['messageId'] === id,
    );
    if (target === undefined) return;
    focusing.current = null;
    for (const marked of element.querySelectorAll<HTMLElement>('[data-focused]')) {
      delete marked.dataset['focused'];
    }
    target.dataset['focused'] = 'true';
    target.setAttribute('aria-label', t('list.focused'));
    // jsdom has no scrollIntoView.
    target.scrollIntoView?.({ block: 'center' });
    reading.current = topVisible(element);
  });

  // New messages at the end: follow them at the bottom, else count them for the button.
  // Messages added to a window that did not reach the newest came with a page: not new.
  const { hasMoreNewer } = state;
  const wasDetached = useRef(hasMoreNewer);
  useEffect(() => {
    const last = messages[messages.length - 1];
    const previous = lastId.current;
    const detached = wasDetached.current;
    lastId.current = last?.id;
    wasDetached.current = hasMoreNewer;
    if (last === undefined || previous === undefined || previous === last.id) return;
    const at = messages.findIndex((m) => m.id === previous);
    if (at === -1) return;
    if (last.user_id === me && last.status !== 'sent') return goLive(); // one's own send
    if (!detached && !(atBottom.current && live)) {
      setNewCount((n) => n + messages.length - 1 - at);
    }
  }, [messages, hasMoreNewer, me, live, goLive]);

  // Fetched while the channel loads, so links show with the first messages.
  useEffect(() => void loadLinkifier(), []);

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
    // The reader moved while a page loads: keep the anchor where they put it.
    if (anchor.current?.hold === true) keep(anchor.current.id, true);
    reading.current = topVisible(element);
    const bottomGap = element.scrollHeight - element.scrollTop - element.clientHeight;
    atBottom.current = bottomGap <= EDGE_PX && (live || jumping.current);
    if (atBottom.current) {
      setNewCount(0);
      if (channel.state.unreadCount > 0) channel.markRead();
    }
    // The jump's own scroll: the latest page is on its way, no other page is wanted.
    if (jumping.current) return;
    const jumpsBefore = jumps.current;
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
            if (index > 0 && jumps.current === jumpsBefore) {
              setRange(extendUp(now, resolveRange(now, { start: first ?? null, end: range.end })));
            }
            // Applied once more, with the indicator gone and the window set, then dropped.
            if (anchor.current?.hold === true) anchor.current.hold = false;
            setLoadingOlder(false);
          });
      }
    } else if (bottomGap <= EDGE_PX && !live) {
      if (to < messages.length) {
        keep(messages[to - 1]?.id);
        setRange(extendDown(messages, [from, to]));
      } else if (!loadingNewer) {
        // The end of what is loaded, and newer messages exist: load the next page.
        const last = messages[to - 1]?.id;
        keep(last, true);
        setLoadingNewer(true);
        channel
          .loadNewer()
          .catch(() => undefined)
          .then(() => {
            const now = channel.state.messages;
            if (jumps.current === jumpsBefore) {
              const shown = resolveRange(now, { start: range.start, end: last ?? null });
              setRange(extendDown(now, shown));
            }
            if (anchor.current?.hold === true) anchor.current.hold = false;
            setLoadingNewer(false);
          });
      }
    }
  };

  return (
    <div className="parley-message-list-wrap">
      <div
        ref={list}
        className="parley-message-list"
        role="log"
        aria-live="polite"
        aria-label={t('list.label')}
        tabIndex={0}
        onScroll={onScroll}
      >
        {loadingOlder ? (
          <p className="parley-loading-older" role="status">
            {t('list.loadingOlder')}
          </p>
        ) : null}
        {messages.length === 0 ? <p className="parley-empty">{t('list.empty')}</p> : null}
        {rows.map((row) =>
          row.kind === 'day' ? (
            <div key={row.key} className="parley-day-separator" role="separator">
              <span suppressHydrationWarning>{translator.day(row.date)}</span>
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
              fresh={isFresh(row.message)}
              me={me}
              actions={actionsOf(row.message)}
              emojiPicker={emojiPicker}
              onOpenThread={composer === null ? undefined : onOpenThread}
              onQuote={onQuote}
              onShowMessage={composer === null ? undefined : onShowMessage}
            />
          ),
        )}
        {loadingNewer ? (
          <p className="parley-loading-newer" role="status">
            {t('list.loadingNewer')}
          </p>
        ) : null}
      </div>
      {newCount > 0 || state.hasMoreNewer ? (
        <button type="button" className="parley-button parley-new-messages" onClick={goLive}>
          {t(newCount > 0 ? 'list.newMessages' : 'list.latestMessages')}
        </button>
      ) : null}
    </div>
  );
}

function author(message: LocalMessage, state: Parameters<typeof userOf>[0]) {
  return message.user ?? userOf(state, message.user_id ?? '');
}
