import { NextResponse, type NextRequest } from 'next/server';
import { PATH_HEADER } from './lib/config';

/**
 * Tells the dashboard's layout which page was asked for (`x-atas-path`): a visitor without
 * a session — following a link from an email — is sent to log in and then back to that
 * page, not to the dashboard. Layouts do not otherwise learn the URL.
 */
export function proxy(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: '/dashboard/:path*' };
