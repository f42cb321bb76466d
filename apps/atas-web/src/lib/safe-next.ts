/** Only a path of this site: `next` must never send the user elsewhere. */
export function safeNext(next: string | undefined, fallback = '/dashboard'): string {
  return next !== undefined && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}
