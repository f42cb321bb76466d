import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { atasApiUrl, SESSION_COOKIE } from './config';
import type { ApiErrorBody, InvitationJson, PublicUser } from './types';

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

/**
 * Calls the ATAS API from a server component with the visitor's session. No session, or
 * one the API refuses, sends the visitor to the login page; an invitation that is not
 * theirs (404) shows the not-found page.
 */
export async function apiGet<T>(path: string, from: string): Promise<T> {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  if (session === undefined) redirect(loginUrl(from));
  const response = await fetch(`${atasApiUrl()}${path}`, {
    headers: { authorization: `Bearer ${session}` },
    cache: 'no-store',
  });
  if (response.ok) return (await response.json()) as T;
  if (response.status === 401) redirect(loginUrl(from, 'expired'));
  if (response.status === 404) notFound();
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  throw new AtasApiError(
    response.status,
    body?.error.code ?? 'unknown',
    body?.error.message ?? `the ATAS API answered ${response.status}`,
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
