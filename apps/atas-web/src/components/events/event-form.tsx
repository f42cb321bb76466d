'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { BrowserApiError, callApi } from '@/lib/browser-api';
import type { EventJson } from '@/lib/types';
import { timeZones, utcToZonedLocal, zonedLocalToUtc } from '@/lib/zoned-time';

/**
 * Creates an event or edits one: start and end are typed on the wall clocks of the event's
 * time zone (the browser's by default for a new event) and sent as instants.
 */
export function EventForm({ event }: { event?: EventJson }) {
  const t = useTranslations('eventForm');
  const router = useRouter();
  const zones = useMemo(() => timeZones(), []);
  const [zone, setZone] = useState(event?.time_zone ?? 'UTC');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (event === undefined) setZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, [event]);

  async function submit(formEvent: FormEvent<HTMLFormElement>) {
    formEvent.preventDefault();
    const form = new FormData(formEvent.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const startsAt = zonedLocalToUtc(text('starts_at'), zone);
    const endsAt = text('ends_at') === '' ? null : zonedLocalToUtc(text('ends_at'), zone);
    if (startsAt === null) return setResult({ ok: false, text: t('errors.start') });
    const body = {
      title: text('title'),
      description: text('description') === '' ? null : text('description'),
      location: text('location') === '' ? null : text('location'),
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: zone,
    };
    setBusy(true);
    setResult(null);
    try {
      if (event === undefined) {
        const created = await callApi<{ event: EventJson }>('/api/v1/events', {
          method: 'POST',
          body,
        });
        router.push(`/dashboard/events/${created.event.id}`);
        return;
      }
      await callApi(`/api/v1/events/${encodeURIComponent(event.id)}`, { method: 'PATCH', body });
      setResult({ ok: true, text: t('saved') });
      router.refresh();
    } catch (failure) {
      setResult({ ok: false, text: errorText(failure, t) });
    } finally {
      setBusy(false);
    }
  }

  const local = (iso: string | null | undefined) =>
    iso == null ? '' : utcToZonedLocal(iso, event?.time_zone ?? 'UTC');
  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={event ? t('editLabel') : t('newLabel')}
    >
      <label>
        {t('title')}
        <input name="title" required maxLength={200} defaultValue={event?.title} />
      </label>
      <label>
        {t('description')}
        <textarea
          name="description"
          rows={4}
          maxLength={5000}
          defaultValue={event?.description ?? ''}
        />
      </label>
      <label>
        {t('venue')}
        <input name="location" maxLength={200} defaultValue={event?.location ?? ''} />
      </label>
      <label>
        {t('timeZone')}
        <select name="time_zone" value={zone} onChange={(e) => setZone(e.target.value)}>
          {(zones.includes(zone) ? zones : [zone, ...zones]).map((name) => (
            <option key={name} value={name}>
              {name.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <div className="form-row">
        <label>
          {t('starts')}
          <input
            name="starts_at"
            type="datetime-local"
            required
            defaultValue={local(event?.starts_at)}
          />
        </label>
        <label>
          {t('ends')}
          <input name="ends_at" type="datetime-local" defaultValue={local(event?.ends_at)} />
        </label>
      </div>
      {result !== null && (
        <p className={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
      <button className="button primary" type="submit" disabled={busy}>
        {event === undefined ? t('create') : t('save')}
      </button>
    </form>
  );
}

function errorText(failure: unknown, t: (key: string) => string): string {
  if (failure instanceof BrowserApiError && failure.code === 'invalid_request') {
    if (/ends? before it starts/.test(failure.message)) return t('errors.endsBeforeStart');
  }
  return failure instanceof Error ? failure.message : String(failure);
}
