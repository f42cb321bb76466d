/**
 * A length of time as a person reads it, in `locale`: "45 sec", "30 min", "1 hr 15 min",
 * "2 days 3 hr" — the two largest units, rounded to the minute past one minute.
 */
export function formatDuration(seconds: number, locale: string): string {
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(
      value,
    );
  if (seconds < 60) return unit(Math.round(seconds), 'second');
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) {
    return hours % 24 === 0
      ? unit(days, 'day')
      : `${unit(days, 'day')} ${unit(hours % 24, 'hour')}`;
  }
  if (hours > 0) {
    return minutes % 60 === 0
      ? unit(hours, 'hour')
      : `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}`;
  }
  return unit(minutes, 'minute');
}
