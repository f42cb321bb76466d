import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>This page does not exist, or it is not one of yours.</p>
      <p>
        <Link href="/dashboard">Back to your requests</Link>
      </p>
    </main>
  );
}
