import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { getMe } from '@/lib/atas-server';
import { PATH_HEADER } from '@/lib/config';
import { safeNext } from '@/lib/safe-next';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Without a session, back to the page asked for after logging in (a link in an email).
  const from = safeNext((await headers()).get(PATH_HEADER) ?? undefined);
  const user = await getMe(from);
  return (
    <>
      <AppHeader user={user} />
      {children}
    </>
  );
}
