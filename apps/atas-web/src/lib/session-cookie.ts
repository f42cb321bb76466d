import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from './config';
import { errorResponse, forward, readBody, sameOrigin } from './proxy';

/** The API's sessions last 12 hours; the cookie does not outlive them. */
const COOKIE_MAX_AGE_S = 12 * 60 * 60;

/**
 * Passes a request that opens a session (log in, sign up, join by invite, reset a password)
 * on to the API; the session it answers goes into an httpOnly cookie, never to the page.
 * The rest of the API's answer (user, invitation id) is handed back.
 */
export async function openSession(request: NextRequest, apiPath: string): Promise<Response> {
  if (!sameOrigin(request)) {
    return errorResponse(403, 'forbidden', 'cross-site requests are not accepted');
  }
  const body = await readBody(request);
  if (body === null) return errorResponse(413, 'payload_too_large', 'the body is too large');
  const answer = await forward(apiPath, {
    method: 'POST',
    body,
    contentType: request.headers.get('content-type'),
    from: request,
  });
  if (!answer.ok) return answer;
  const { session, ...rest } = (await answer.json()) as { session: string };
  const response = NextResponse.json(rest, { status: answer.status });
  response.cookies.set(SESSION_COOKIE, session, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.nextUrl.protocol === 'https:',
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
  return response;
}
