import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { atasApiUrl } from './config';

/** Largest body passed on to the API (which has its own, smaller limit). */
const MAX_BODY_BYTES = 1024 * 1024;

/** The error shape of the ATAS API, for answers made here. */
export function errorResponse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status });
}

/**
 * A state-changing request must come from this site's own pages: the session cookie is
 * SameSite=Lax already, and a foreign `Origin` is refused as well.
 */
export function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true; // not a browser's cross-site request
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Reads the body up to the limit; `null` when it is larger. */
export async function readBody(request: NextRequest): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return null;
  const text = await request.text();
  return Buffer.byteLength(text) > MAX_BODY_BYTES ? null : text;
}

/**
 * Sends `path` on to the ATAS API and hands its answer back, status and body as they are.
 * `from` is the visitor's request: its `X-Forwarded-For` (Next sets the visitor's address
 * there) goes along, so the API's per-address limits count visitors, not this server.
 */
export async function forward(
  path: string,
  init: {
    method: string;
    body?: string;
    contentType?: string | null;
    session?: string;
    from?: NextRequest;
  },
): Promise<NextResponse> {
  const headers: Record<string, string> = {};
  if (init.session !== undefined) headers.authorization = `Bearer ${init.session}`;
  const forwardedFor = init.from?.headers.get('x-forwarded-for');
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  if (init.body !== undefined && init.body !== '') {
    headers['content-type'] = init.contentType ?? 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(`${atasApiUrl()}${path}`, {
      method: init.method,
      headers,
      body: init.body === '' ? undefined : init.body,
      cache: 'no-store',
    });
  } catch {
    return errorResponse(503, 'api_unavailable', 'the ATAS API cannot be reached');
  }
  return new NextResponse(await response.text(), {
    status: response.status,
    headers: {
      'content-type': response.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    },
  });
}
