import { redirect } from 'next/navigation';

/** The dashboard is home; it sends visitors without a session to the login page. */
export default function Home() {
  redirect('/dashboard');
}
