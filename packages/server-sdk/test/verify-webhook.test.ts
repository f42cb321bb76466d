import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../src/index.js';

const SECRET = 'whsec-that-is-long-enough-for-a-test';
const body = JSON.stringify({ id: 'evt_1', type: 'message.new', cid: 'team:a', seq: 1 });
const sign = (t: number, text = body, secret = SECRET) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${text}`).digest('hex')}`;
const now = 1_800_000_000;

function reason(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof WebhookVerificationError) return err.reason;
    throw err;
  }
  return 'accepted';
}

describe('verifyWebhook', () => {
  it('accepts a fresh signature of the exact body and returns the payload', () => {
    expect(verifyWebhook(body, sign(now - 10), SECRET, { nowS: now })).toMatchObject({
      id: 'evt_1',
      seq: 1,
    });
    expect(verifyWebhook(Buffer.from(body), sign(now), SECRET, { nowS: now }).id).toBe('evt_1');
  });

  it('refuses a signature made with another secret, or of another body', () => {
    expect(
      reason(() => verifyWebhook(body, sign(now, body, `${SECRET}x`), SECRET, { nowS: now })),
    ).toBe('mismatch');
    expect(reason(() => verifyWebhook(`${body} `, sign(now), SECRET, { nowS: now }))).toBe(
      'mismatch',
    );
    // The time is signed too: moving it breaks the signature.
    const forgedTime = sign(now - 1000).replace(`t=${now - 1000}`, `t=${now}`);
    expect(reason(() => verifyWebhook(body, forgedTime, SECRET, { nowS: now }))).toBe('mismatch');
  });

  it('refuses a stale (or future) signature outside the tolerance', () => {
    expect(reason(() => verifyWebhook(body, sign(now - 301), SECRET, { nowS: now }))).toBe('stale');
    expect(reason(() => verifyWebhook(body, sign(now + 301), SECRET, { nowS: now }))).toBe('stale');
    expect(
      reason(() => verifyWebhook(body, sign(now - 50), SECRET, { nowS: now, toleranceS: 30 })),
    ).toBe('stale');
  });

  it('refuses a missing or malformed header', () => {
    for (const header of [undefined, null, '', 'v1=abc', `t=${now}`, 'garbage']) {
      expect(reason(() => verifyWebhook(body, header, SECRET, { nowS: now }))).toBe('malformed');
    }
  });

  it('accepts any of several v1 signatures (a secret being rotated)', () => {
    const header = `${sign(now, body, 'old-secret-old-secret')},v1=${sign(now).split('v1=')[1]}`;
    expect(verifyWebhook(body, header, SECRET, { nowS: now }).id).toBe('evt_1');
  });
});
