/** A date and time as ATAS shows them: in UTC, so server and browser agree. */
export function formatDateTime(iso: string): string {
  return `${new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  })} UTC`;
}

/** `start – end` of an event, the end only when it has one. */
export function formatEventDates(startsAt: string, endsAt: string | null): string {
  return endsAt === null
    ? formatDateTime(startsAt)
    : `${formatDateTime(startsAt)} – ${formatDateTime(endsAt)}`;
}

export const STATUS_LABEL = { pending: 'Pending', accepted: 'Accepted', declined: 'Declined' };
