import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookPayload } from '@parley/protocol';

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Refuse signatures older (or further in the future) than this many seconds. Default 300. */
  toleranceS?: number;
  /** The current time in Unix seconds (tests). Default now. */
  nowS?: number;
}

/** Why {@link verifyWebhook} refused a request. */
export class WebhookVerificationError extends Error {
  constructor(
    /** `malformed`: no usable header; `mismatch`: no signature matches; `stale`: outside the tolerance. */
    readonly reason: 'malformed' | 'mismatch' | 'stale',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/**
 * Checks a Parley webhook request and returns its parsed payload. `body` must be the raw
 * bytes received (a re-serialised object would not match); `header` is the
 * `X-Parley-Signature` value, `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * Throws a {@link WebhookVerificationError} for a missing, forged or stale signature.
 * The payload's `id` is the same on every retry: store it to ignore duplicates.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  options: VerifyWebhookOptions = {},
): WebhookPayload {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (typeof header !== 'string' || header === '') {
    throw new WebhookVerificationError('malformed', 'no X-Parley-Signature header');
  }
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values may come while a secret is being rotated.
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === null || signatures.length === 0) {
    throw new WebhookVerificationError('malformed', 'the signature header has no t= or v1=');
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${text}`).digest();
  if (!signatures.some((s) => s.length === expected.length && timingSafeEqual(s, expected))) {
    throw new WebhookVerificationError('mismatch', 'the signature does not match the body');
  }
  const tolerance = options.toleranceS ?? 300;
  const now = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError('stale', `the signature is ${now - timestamp} s old`);
  }
  return JSON.parse(text) as WebhookPayload;
}
