'use client';
import { useState } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import {
  useDesktopNotifications,
  type NotifiedMessage as Message,
} from '../hooks/use-desktop-notifications.js';

/** Where the user's choice is kept in this browser. */
const STORAGE_KEY = 'parley.desktop-notifications';

function stored(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false; // storage disabled
  }
}

function store(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

/** Props of {@link DesktopNotifications}. */
export interface DesktopNotificationsProps {
  /** The user clicked a notification: open its conversation. */
  onOpen?: (cid: string, message: Message) => void;
  /** Only messages that mention the user. Default false. */
  mentionsOnly?: boolean;
}

/**
 * An opt-in switch for browser notifications of new messages while the tab is hidden.
 * Asks the browser's permission only when clicked; remembers the choice in this browser.
 * Renders nothing where the Notification API does not exist.
 */
export function DesktopNotifications({ onOpen, mentionsOnly = false }: DesktopNotificationsProps) {
  const { t } = useTranslator();
  const [enabled, setEnabled] = useState(stored);
  const { permission, requestPermission } = useDesktopNotifications({
    enabled,
    mentionsOnly,
    ...(onOpen ? { onOpen } : {}),
  });
  if (permission === 'unsupported') return null;
  const turnOn = async () => {
    const result = permission === 'granted' ? permission : await requestPermission();
    const on = result === 'granted';
    setEnabled(on);
    store(on);
  };
  const turnOff = () => {
    setEnabled(false);
    store(false);
  };
  return (
    <div className="parley-desktop-notifications">
      {permission === 'denied' ? (
        <p role="status">{t('notifications.blocked')}</p>
      ) : enabled && permission === 'granted' ? (
        <>
          <span role="status">{t('notifications.on')}</span>{' '}
          <button type="button" onClick={turnOff}>
            {t('notifications.disable')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void turnOn()}>
          {t('notifications.enable')}
        </button>
      )}
    </div>
  );
}
