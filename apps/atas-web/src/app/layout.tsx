import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@parley/react/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ATAS', template: '%s · ATAS' },
  description: 'Invite speakers to your events and talk with them in real time.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
