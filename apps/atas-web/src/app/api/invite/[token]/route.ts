import type { NextRequest } from 'next/server';
import { openSession } from '@/lib/session-cookie';

type Context = { params: Promise<{ token: string }> };

/** A speaker invited by email sets a name and password through the link, and is signed in. */
export async function POST(request: NextRequest, context: Context): Promise<Response> {
  const { token } = await context.params;
  return openSession(request, `/api/v1/invite-links/${encodeURIComponent(token)}`);
}
