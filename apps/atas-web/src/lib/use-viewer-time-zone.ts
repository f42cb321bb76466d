'use client';
import { useEffect, useState } from 'react';

/**
 * The viewer's time zone, from the browser. The server cannot know it: the first render
 * (on the server, and hydrating) uses UTC, then the browser's own.
 */
export function useViewerTimeZone(): string {
  const [zone, setZone] = useState('UTC');
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return zone;
}
