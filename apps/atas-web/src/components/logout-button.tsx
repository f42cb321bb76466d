'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';

export function LogoutButton() {
  const router = useRouter();
  const t = useTranslations('header');
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
      {t('logOut')}
    </button>
  );
}
