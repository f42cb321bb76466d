import type { NextRequest } from 'next/server';
import { openSession } from '@/lib/session-cookie';

/** Signs an organizer up and in. */
export function POST(request: NextRequest): Promise<Response> {
  return openSession(request, '/api/v1/auth/signup');
}
