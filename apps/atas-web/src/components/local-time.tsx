'use client';
import { useLocale } from 'next-intl';
import { dateTimeFormat } from '@/lib/date-style';
import { useViewerTimeZone } from '@/lib/use-viewer-time-zone';

/**
 * A moment in the viewer's language and time zone, in ATAS's one date style — the chat's
 * too (lib/date-style.ts). The server does not know the viewer's zone: it renders UTC, the
 * browser then its own.
 */
export function LocalTime({ iso }: { iso: string }) {
  const locale = useLocale();
  const zone = useViewerTimeZone();
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {dateTimeFormat(locale, zone).format(new Date(iso))}
    </time>
  );
}
