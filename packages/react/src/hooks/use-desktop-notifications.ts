'use client';
import type { ClientEventMap } from '@parley/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChatContext } from '../session/chat-context.js';

/** A message as events carry it. */
export type NotifiedMessage = ClientEventMap['message.new']['message'];
type Message = NotifiedMessage;

/** The browser's permission for notifications, or `unsupported` where there is no Notification API. */
export type DesktopPermission = NotificationPermission | 'unsupported';

/** Options of {@link useDesktopNotifications}. */
export interface UseDesktopNotificationsOptions {
  /** Show notifications. Opt-in: nothing is shown (or asked) while false. */
  enabled: boolean;
  /** Only messages that mention the user. Default false. */
  mentionsOnly?: boolean;
  /** Also while the tab is visible. Default false: only while it is hidden. */
  whenVisible?: boolean;
  /** The user clicked a notification: open its conversation (the window is focused first). */
  onOpen?: (cid: string, message: Message) => void;
  /** Title, body and icon of a notification. Default: the author's name, the text, the author's image. */
  format?: (message: Message, cid: string) => { title: string; body: string; icon?: string };
}

/** What {@link useDesktopNotifications} returns. */
export interface UseDesktopNotificationsResult {
  permission: DesktopPermission;
  /** Asks the browser (call it from a click: browsers ignore other requests). */
  requestPermission: () => Promise<DesktopPermission>;
}

/** Message ids remembered to show each message once (it may come as an event and a notification). */
const REMEMBERED = 200;

function api(): typeof Notification | undefined {
  return typeof Notification === 'undefined' ? undefined : Notification;
}

function defaultFormat(message: Message) {
  const author = message.user?.name ?? message.user?.id ?? '';
  return {
    title: author,
    // The Notification API shows text, never markup.
    body: message.text.length > 200 ? `${message.text.slice(0, 200)}…` : message.text,
    ...(message.user?.image ? { icon: message.user.image } : {}),
  };
}

/**
 * Browser notifications for new messages from others — in watched channels and in the
 * others — while the tab is hidden; a click focuses the window and calls `onOpen`.
 * Opt-in: nothing happens until `enabled` and the user has granted permission.
 */
export function useDesktopNotifications(
  options: UseDesktopNotificationsOptions,
): UseDesktopNotificationsResult {
  const { client } = useChatContext();
  const [permission, setPermission] = useState<DesktopPermission>(
    () => api()?.permission ?? 'unsupported',
  );
  // The latest options without re-subscribing on every render.
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  const requestPermission = useCallback(async () => {
    const N = api();
    if (N === undefined) return 'unsupported' as const;
    const result = await N.requestPermission();
    setPermission(result);
    return result;
  }, []);

  const active = options.enabled && permission === 'granted';
  useEffect(() => {
    const N = api();
    if (!active || N === undefined) return;
    const seen: string[] = [];
    const show = (cid: string, message: Message) => {
      const o = latest.current;
      const me = client.user?.id;
      if (message.user?.id === me || message.type !== 'regular') return;
      if (message.parent_id != null && !message.show_in_channel) return;
      if (o.mentionsOnly && !message.mentioned_users.some((u) => u.id === me)) return;
      if (!o.whenVisible && document.visibilityState !== 'hidden') return;
      if (seen.includes(message.id)) return;
      seen.push(message.id);
      if (seen.length > REMEMBERED) seen.shift();
      const { title, body, icon } = (o.format ?? defaultFormat)(message, cid);
      // One notification per conversation: a newer message replaces the older one.
      const notification = new N(title, { body, tag: cid, ...(icon ? { icon } : {}) });
      notification.onclick = () => {
        window.focus();
        notification.close();
        latest.current.onOpen?.(cid, message);
      };
    };
    const offNew = client.on('message.new', (e) => show(e.cid, e.message));
    const offNotification = client.on('notification.message_new', (e) => show(e.cid, e.message));
    return () => {
      offNew();
      offNotification();
    };
  }, [client, active]);

  return { permission, requestPermission };
}
