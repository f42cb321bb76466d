import { describe, expect, it, vi } from 'vitest';
import { TokenVerifier } from './tokens.js';
import { rememberVerifiedTokens } from './verified-tokens.js';

describe('rememberVerifiedTokens', () => {
  it('verifies a token once and answers the same caller for it again', async () => {
    const verifier = new TokenVerifier('a-secret-of-enough-length-for-hs256');
    const token = await verifier.createUserToken('alice');
    const verify = vi.spyOn(verifier, 'verify');
    const tokens = rememberVerifiedTokens(verifier);
    const first = await tokens.verify(token);
    expect(await tokens.verify(token)).toEqual(first);
    expect(first).toMatchObject({ kind: 'user', userId: 'alice' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    const verifier = new TokenVerifier('a-secret-of-enough-length-for-hs256');
    const token = await verifier.createUserToken('alice', { expiresInSeconds: 60 });
    const tokens = rememberVerifiedTokens(verifier);
    await tokens.verify(token);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('never remembers a refused token', async () => {
    const verifier = new TokenVerifier('a-secret-of-enough-length-for-hs256');
    const tokens = rememberVerifiedTokens(verifier);
    await expect(tokens.verify('not-a-token')).rejects.toMatchObject({ code: 'token_invalid' });
    await expect(tokens.verify('not-a-token')).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('forgets the oldest token beyond its size', async () => {
    const verifier = new TokenVerifier('a-secret-of-enough-length-for-hs256');
    const a = await verifier.createUserToken('alice');
    const b = await verifier.createUserToken('bob');
    const verify = vi.spyOn(verifier, 'verify');
    const tokens = rememberVerifiedTokens(verifier, 1);
    await tokens.verify(a);
    await tokens.verify(b);
    await tokens.verify(a);
    expect(verify).toHaveBeenCalledTimes(3);
  });
});
