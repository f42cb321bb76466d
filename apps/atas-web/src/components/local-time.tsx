'use client';
import { useLocale } from 'next-intl';
import { useEffect, useState } from 'react';

/**
 * A moment in the viewer's language and time zone, in the style the chat uses. The server
 * does not know the viewer's zone: it renders UTC, the browser then its own.
 */
export function LocalTime({ iso }: { iso: string }) {
  const locale = useLocale();
  const [zone, setZone] = useState('UTC');
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const text = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: zone,
  }).format(new Date(iso));
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
