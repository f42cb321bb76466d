import Link from 'next/link';
import type { PublicUser } from '@/lib/types';
import { LogoutButton } from './logout-button';

export function AppHeader({ user }: { user: PublicUser }) {
  return (
    <header className="app-header">
      <Link href="/dashboard" className="brand">
        ATAS
      </Link>
      <nav aria-label="Account" className="account">
        <Link href="/dashboard/profile" className="profile-link">
          {user.name} <span className="role">({user.role})</span>
        </Link>
        <LogoutButton />
      </nav>
    </header>
  );
}
