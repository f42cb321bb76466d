/** Where the ATAS API listens, as seen from the web server (not from the browser). */
export function atasApiUrl(): string {
  return (process.env.ATAS_API_URL ?? 'http://127.0.0.1:3040').replace(/\/+$/, '');
}

/** The httpOnly cookie that carries the app session; the browser's scripts never see it. */
export const SESSION_COOKIE = 'atas_session';

/** The page asked for, set by `src/proxy.ts` for the dashboard's layout. */
export const PATH_HEADER = 'x-atas-path';
