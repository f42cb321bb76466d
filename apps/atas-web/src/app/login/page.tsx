import type { Metadata } from 'next';
import { LoginForm } from '@/components/login-form';

export const metadata: Metadata = { title: 'Log in' };

type Props = { searchParams: Promise<{ next?: string; reason?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next, reason } = await searchParams;
  return (
    <main className="page narrow login">
      <p className="brand brand-large" aria-hidden="true">
        ATAS
      </p>
      <h1>Log in</h1>
      {reason === 'expired' && (
        <p className="notice" role="status">
          Your session has ended. Log in again to continue.
        </p>
      )}
      <LoginForm next={safeNext(next)} />
    </main>
  );
}

/** Only a path of this site: `next` must never send the user elsewhere. */
function safeNext(next: string | undefined): string {
  return next !== undefined && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';
}
