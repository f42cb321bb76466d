import type { NextRequest } from 'next/server';
import { openSession } from '@/lib/session-cookie';

/** Sets a new password with a reset link's token, and signs in. */
export function POST(request: NextRequest): Promise<Response> {
  return openSession(request, '/api/v1/auth/password-reset/confirm');
}
