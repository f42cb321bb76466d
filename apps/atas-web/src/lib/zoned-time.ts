import { dateTimeFormat } from './date-style';

/**
 * Wall-clock times in a named time zone, with Intl only: a form's `datetime-local` value
 * (`YYYY-MM-DDTHH:mm`, no zone) in the event's time zone to an instant and back.
 */

/** The zone's offset from UTC, in minutes, at `instant`. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** `2030-06-10T09:00` in `Europe/Lisbon` → `2030-06-10T08:00:00.000Z`; null when malformed. */
export function zonedLocalToUtc(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (match === null) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset, also next to a daylight-saving change.
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess).toISOString();
}

/** An instant as `YYYY-MM-DDTHH:mm` on the wall clocks of `timeZone`, for a form field. */
export function utcToZonedLocal(iso: string, timeZone: string): string {
  const instant = new Date(iso);
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** `start – end` in `timeZone` in ATAS's date style, the end only when there is one. */
export function formatRangeInZone(
  startsAt: string,
  endsAt: string | null,
  timeZone: string,
  locale: string,
): string {
  const format = dateTimeFormat(locale, timeZone);
  return endsAt === null
    ? format.format(new Date(startsAt))
    : format.formatRange(new Date(startsAt), new Date(endsAt));
}

/** Time zones to offer: what this runtime knows, UTC first. */
export function timeZones(): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((zone) => zone !== 'UTC')];
}
