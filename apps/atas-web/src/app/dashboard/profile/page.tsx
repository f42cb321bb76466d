import type { Metadata } from 'next';
import Link from 'next/link';
import { ProfileForm } from '@/components/profile-form';
import { getMe } from '@/lib/atas-server';

export const metadata: Metadata = { title: 'Your profile' };
export const dynamic = 'force-dynamic';

export default async function ProfilePage() {
  const me = await getMe('/dashboard/profile');
  return (
    <main className="page narrow-wide">
      <p className="back">
        <Link href="/dashboard">← All requests</Link>
      </p>
      <h1>Your profile</h1>
      <p className="muted">
        {me.email} · {me.role}. Your name and picture are what the other side sees in the chat.
      </p>
      <ProfileForm name={me.name} avatarUrl={me.avatar_url} />
    </main>
  );
}
