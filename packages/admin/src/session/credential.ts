import type { TokenSource } from '../api/admin-api.js';
import { signServerToken } from './server-token.js';

/** How the operator signed in: the app secret, or an app admin's user token. */
export type Credential = { kind: 'secret'; secret: string } | { kind: 'token'; token: string };

// sessionStorage: gone when the tab closes, never sent anywhere, never in a URL.
const KEY = 'parley-admin-credential';
/** Server tokens live this long; a new one is signed a minute before. */
const TOKEN_TTL_S = 600;

export function loadCredential(): Credential | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<{ kind: string; secret: string; token: string }>;
    if (parsed.kind === 'secret' && typeof parsed.secret === 'string') {
      return { kind: 'secret', secret: parsed.secret };
    }
    if (parsed.kind === 'token' && typeof parsed.token === 'string') {
      return { kind: 'token', token: parsed.token };
    }
  } catch {
    // Storage blocked or a damaged entry: sign in again.
  }
  return null;
}

export function saveCredential(credential: Credential): void {
  sessionStorage.setItem(KEY, JSON.stringify(credential));
}

export function clearCredential(): void {
  sessionStorage.removeItem(KEY);
}

/** The bearer tokens of a credential: a user token as it is, or server tokens signed anew. */
export function tokenSource(credential: Credential): TokenSource {
  if (credential.kind === 'token') return () => Promise.resolve(credential.token);
  let cached: { token: string; renewAt: number } | null = null;
  return async () => {
    if (cached === null || Date.now() >= cached.renewAt) {
      const token = await signServerToken(credential.secret, TOKEN_TTL_S);
      cached = { token, renewAt: Date.now() + (TOKEN_TTL_S - 60) * 1000 };
    }
    return cached.token;
  };
}
