'use client';
import { useRouter } from 'next/navigation';

export function LogoutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="button link"
      onClick={async () => {
        await fetch('/api/session', { method: 'DELETE' }).catch(() => undefined);
        router.replace('/login');
        router.refresh();
      }}
    >
      Log out
    </button>
  );
}
