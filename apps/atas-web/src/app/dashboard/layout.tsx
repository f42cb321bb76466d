import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { getMe } from '@/lib/atas-server';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getMe('/dashboard');
  return (
    <>
      <AppHeader user={user} />
      {children}
    </>
  );
}
