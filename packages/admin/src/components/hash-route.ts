import { useEffect, useState } from 'react';

/** Where the console is: `#/users`, `#/channels/messaging/general`, … */
export interface Route {
  page: 'overview' | 'users' | 'channels' | 'moderation' | 'audit';
  /** On `#/channels/<type>/<id>`: that channel's cid. */
  cid: string | null;
}

const PAGES = new Set<Route['page']>(['overview', 'users', 'channels', 'moderation', 'audit']);

/** Reads a location hash; anything unknown is the overview. */
export function parseHash(hash: string): Route {
  const [page = '', type, ...id] = hash.replace(/^#\/?/, '').split('/');
  if (!PAGES.has(page as Route['page'])) return { page: 'overview', cid: null };
  const cid =
    page === 'channels' && type !== undefined && id.length > 0
      ? `${decodeURIComponent(type)}:${decodeURIComponent(id.join('/'))}`
      : null;
  return { page: page as Route['page'], cid };
}

/** The hash of a channel's page. */
export function channelHash(cid: string): string {
  const at = cid.indexOf(':');
  return `#/channels/${encodeURIComponent(cid.slice(0, at))}/${encodeURIComponent(cid.slice(at + 1))}`;
}

/** The current route, following the location hash. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
