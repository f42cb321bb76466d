import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { atasApiUrl, SESSION_COOKIE } from './config';
import type {
  ApiErrorBody,
  EventInsightsJson,
  EventJson,
  InvitationJson,
  PublicUser,
} from './types';

/** An answer of the ATAS API that was not a success. */
export class AtasApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An API answer, read once: the status and the parsed body (null when not JSON). */
interface ApiAnswer {
  status: number;
  body: unknown;
}

/**
 * One GET of the ATAS API with the visitor's session, remembered for the rest of the
 * request: a layout and its page asking for `/api/v1/me` make one call. Null without a
 * session cookie.
 */
const fetchApi = cache(async (path: string): Promise<ApiAnswer | null> => {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  if (session === undefined) return null;
  const response = await fetch(`${atasApiUrl()}${path}`, {
    headers: { authorization: `Bearer ${session}` },
    cache: 'no-store',
  });
  return { status: response.status, body: await response.json().catch(() => null) };
});

/**
 * Calls the ATAS API from a server component with the visitor's session. No session, or
 * one the API refuses, sends the visitor to the login page (back to `from` after); an
 * invitation that is not theirs (404) shows the not-found page.
 */
export async function apiGet<T>(path: string, from: string): Promise<T> {
  const answer = await fetchApi(path);
  if (answer === null) redirect(loginUrl(from));
  if (answer.status >= 200 && answer.status < 300) return answer.body as T;
  if (answer.status === 401) redirect(loginUrl(from, 'expired'));
  if (answer.status === 404 || answer.status === 403) notFound();
  const body = answer.body as ApiErrorBody | null;
  throw new AtasApiError(
    answer.status,
    body?.error.code ?? 'unknown',
    body?.error.message ?? `the ATAS API answered ${answer.status}`,
  );
}

export function loginUrl(from: string, reason?: 'expired'): string {
  const query = new URLSearchParams({ next: from });
  if (reason !== undefined) query.set('reason', reason);
  return `/login?${query.toString()}`;
}

export const getMe = (from: string) =>
  apiGet<{ user: PublicUser }>('/api/v1/me', from).then((body) => body.user);

export const getInvitations = (from: string) =>
  apiGet<{ invitations: InvitationJson[] }>('/api/v1/invitations', from).then(
    (body) => body.invitations,
  );

export const getInvitation = (id: string, from: string) =>
  apiGet<{ invitation: InvitationJson }>(
    `/api/v1/invitations/${encodeURIComponent(id)}`,
    from,
  ).then((body) => body.invitation);

/** A GET of the ATAS API without a session (invite links, the dev mailbox). */
export async function publicGet<T>(path: string): Promise<{ status: number; body: T | null }> {
  const response = await fetch(`${atasApiUrl()}${path}`, { cache: 'no-store' });
  return { status: response.status, body: (await response.json().catch(() => null)) as T | null };
}

export const getEvents = (from: string) =>
  apiGet<{ events: EventJson[] }>('/api/v1/events', from).then((body) => body.events);

export const getEvent = (id: string, from: string) =>
  apiGet<{ event: EventJson }>(`/api/v1/events/${encodeURIComponent(id)}`, from).then(
    (body) => body.event,
  );

export const getEventInvitations = (id: string, from: string) =>
  apiGet<{ invitations: InvitationJson[] }>(
    `/api/v1/events/${encodeURIComponent(id)}/invitations`,
    from,
  ).then((body) => body.invitations);

export const getEventInsights = (id: string, from: string) =>
  apiGet<{ insights: EventInsightsJson }>(
    `/api/v1/events/${encodeURIComponent(id)}/insights`,
    from,
  ).then((body) => body.insights);
