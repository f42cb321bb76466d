import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/lib/config';
import { errorResponse, sameOrigin } from '@/lib/proxy';
import { openSession } from '@/lib/session-cookie';

/** Logs in: the API's session goes into an httpOnly cookie, the user back to the page. */
export function POST(request: NextRequest): Promise<Response> {
  return openSession(request, '/api/v1/auth/login');
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
