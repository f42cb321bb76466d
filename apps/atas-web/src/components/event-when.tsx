'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { formatRangeInZone } from '@/lib/zoned-time';

/**
 * An event's times in its own time zone, and — once the browser says where the viewer is —
 * in the viewer's too when that is another zone.
 */
export function EventWhen({
  startsAt,
  endsAt,
  timeZone,
}: {
  startsAt: string;
  endsAt: string | null;
  timeZone: string;
}) {
  const locale = useLocale();
  const t = useTranslations('event');
  const [viewerZone, setViewerZone] = useState<string | null>(null);
  useEffect(() => setViewerZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const zoneLabel = timeZone.replaceAll('_', ' ');
  return (
    <span className="event-when">
      <span>
        {formatRangeInZone(startsAt, endsAt, timeZone, locale)} ({zoneLabel})
      </span>
      {viewerZone !== null && viewerZone !== timeZone && (
        <span className="muted viewer-time">
          {t('yourTime', {
            time: formatRangeInZone(startsAt, endsAt, viewerZone, locale),
            zone: viewerZone.replaceAll('_', ' '),
          })}
        </span>
      )}
    </span>
  );
}
