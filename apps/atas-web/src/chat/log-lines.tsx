'use client';
import { useEffect, useState } from 'react';
import { LocalTime } from '@/components/local-time';
import { callApi } from '@/lib/browser-api';

/** One line of a log that is read, not written: the old ATAS log or a closed request's chat. */
export interface LogLine {
  id: string;
  author: string | null;
  created_at: string;
  text: string;
  system?: boolean;
}

/** Loads a list of `messages` from ATAS's API once per path; null until it answers. */
export function useLogMessages<T>(path: string): {
  messages: T[] | null;
  error: string | null;
} {
  const [messages, setMessages] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    callApi<{ messages: T[] }>(path).then(
      (body) => live && setMessages(body.messages),
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return { messages, error };
}

/** The lines of a read-only log: author and local time above each text; system lines bare. */
export function LogLines({ lines, label }: { lines: LogLine[]; label?: string }) {
  return (
    <ol className="legacy-messages" aria-label={label}>
      {lines.map((line) => (
        <li key={line.id} className={line.system === true ? 'system-line' : undefined}>
          {line.system !== true && (
            <p className="legacy-meta">
              <strong>{line.author}</strong> <LocalTime iso={line.created_at} />
            </p>
          )}
          <p className="legacy-text" dir="auto">
            {line.text}
          </p>
        </li>
      ))}
    </ol>
  );
}
