/**
 * Signs a short-lived server token (HS256 JWT `{ server: true }`) with the app secret in
 * the browser, with WebCrypto: the secret itself never leaves the page. WebCrypto exists
 * only in secure contexts (HTTPS, or localhost): elsewhere this throws `insecure_context`.
 */
export async function signServerToken(
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw Object.assign(new Error('signing with the secret needs HTTPS (or localhost)'), {
      code: 'insecure_context',
    });
  }
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ server: true, iat, exp: iat + ttlSeconds }));
  const key = await subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
