import type { Principal, TokenVerifier } from './tokens.js';

/** Anything that turns a bearer token into a caller. */
export type TokenCheck = Pick<TokenVerifier, 'verify'>;

/**
 * Remembers the `size` most recently verified tokens, so a client calling with the same
 * token again is not re-verified: HMAC verification through WebCrypto (a key import and
 * an async sign per call) was an eighth of the server's CPU time on history requests.
 * A remembered token still expires at its `exp`; failures are never remembered.
 */
export function rememberVerifiedTokens(tokens: TokenCheck, size = 4096): TokenCheck {
  const verified = new Map<string, Principal>();
  return {
    async verify(token) {
      if (token !== undefined) {
        const principal = verified.get(token);
        if (principal !== undefined) {
          if (principal.kind === 'server' || principal.expiresAt === null) return principal;
          if (Date.now() < principal.expiresAt) return principal;
          verified.delete(token);
        }
      }
      // Verifies afresh (and throws token_expired for a token that has just expired).
      const principal = await tokens.verify(token);
      if (token !== undefined) {
        verified.set(token, principal);
        // Map order is insertion order: the oldest entry goes first.
        if (verified.size > size) verified.delete(verified.keys().next().value!);
      }
      return principal;
    },
  };
}
