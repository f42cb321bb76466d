import { createHmac } from 'node:crypto';

/**
 * `X-Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, the scheme
 * Stripe made familiar: the time inside the signature lets receivers refuse replays.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
