'use client';
import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';

/**
 * Details | Chat on a narrow screen, so the chat is one tap away instead of below the whole
 * card; on a wide one both panels show side by side and the tabs are hidden (CSS).
 */
export function RequestTabs({
  details,
  chat,
  initial = 'details',
}: {
  details: ReactNode;
  chat: ReactNode;
  /** The tab shown first: `chat` when the page opens at a message. */
  initial?: 'details' | 'chat';
}) {
  const t = useTranslations('request');
  const [tab, setTab] = useState<'details' | 'chat'>(initial);
  const tabButton = (name: 'details' | 'chat', label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${name}`}
      aria-selected={tab === name}
      aria-controls={`panel-${name}`}
      className="tab"
      onClick={() => setTab(name)}
    >
      {label}
    </button>
  );
  return (
    <>
      <div role="tablist" aria-label={t('tabs')} className="request-tabs">
        {tabButton('details', t('details'))}
        {tabButton('chat', t('chat'))}
      </div>
      <div className="request-grid">
        <div id="panel-details" className="tab-panel" data-active={tab === 'details'}>
          {details}
        </div>
        <div id="panel-chat" className="tab-panel" data-active={tab === 'chat'}>
          {chat}
        </div>
      </div>
    </>
  );
}
