import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/lib/config';
import { errorResponse, forward, readBody, sameOrigin } from '@/lib/proxy';

/** The API's sessions last 12 hours; the cookie does not outlive them. */
const COOKIE_MAX_AGE_S = 12 * 60 * 60;

/** Logs in: the API's session goes into an httpOnly cookie, the user back to the page. */
export async function POST(request: NextRequest): Promise<Response> {
  if (!sameOrigin(request)) {
    return errorResponse(403, 'forbidden', 'cross-site requests are not accepted');
  }
  const body = await readBody(request);
  if (body === null) return errorResponse(413, 'payload_too_large', 'the body is too large');
  const answer = await forward('/api/v1/auth/login', {
    method: 'POST',
    body,
    contentType: request.headers.get('content-type'),
  });
  if (!answer.ok) return answer;
  const { session, user } = (await answer.json()) as { session: string; user: unknown };
  const response = NextResponse.json({ user });
  response.cookies.set(SESSION_COOKIE, session, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.nextUrl.protocol === 'https:',
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
  return response;
}

/** Logs out: forgets the cookie. */
export async function DELETE(request: NextRequest): Promise<Response> {
  if (!sameOrigin(request)) {
    return errorResponse(403, 'forbidden', 'cross-site requests are not accepted');
  }
  const response = new NextResponse(null, { status: 204 });
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
