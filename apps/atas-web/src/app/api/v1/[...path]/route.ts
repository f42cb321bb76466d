import type { NextRequest } from 'next/server';
import { SESSION_COOKIE } from '@/lib/config';
import { errorResponse, forward, readBody, sameOrigin } from '@/lib/proxy';

// The browser talks to the ATAS API through this same-origin route: the session stays in
// an httpOnly cookie and becomes the API's `Authorization: Bearer` header here.

type Context = { params: Promise<{ path: string[] }> };

async function pass(request: NextRequest, context: Context): Promise<Response> {
  const { path } = await context.params;
  const target = `/api/v1/${path.map(encodeURIComponent).join('/')}${request.nextUrl.search}`;
  const session = request.cookies.get(SESSION_COOKIE)?.value;
  if (request.method === 'GET') return forward(target, { method: 'GET', session, from: request });
  if (!sameOrigin(request)) {
    return errorResponse(403, 'forbidden', 'cross-site requests are not accepted');
  }
  const body = await readBody(request);
  if (body === null) return errorResponse(413, 'payload_too_large', 'the body is too large');
  return forward(target, {
    method: request.method,
    body,
    contentType: request.headers.get('content-type'),
    session,
    from: request,
  });
}

export const GET = pass;
export const POST = pass;
export const PATCH = pass;
export const PUT = pass;
export const dynamic = 'force-dynamic';
