import { describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../server/src/auth/tokens.js';
import { ratePerSecond, sumMetrics } from '../src/api/prometheus-text.js';
import { signServerToken } from '../src/session/server-token.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('admin console: server tokens signed in the page', () => {
  it('signs tokens the server takes as the server', async () => {
    const token = await signServerToken(SECRET, 600);
    await expect(new TokenVerifier(SECRET).verify(token)).resolves.toEqual({ kind: 'server' });
  });

  it('signs tokens that expire, and that another secret does not accept', async () => {
    const old = await signServerToken(SECRET, 60, Date.now() - 120_000);
    await expect(new TokenVerifier(SECRET).verify(old)).rejects.toMatchObject({
      code: 'token_expired',
    });
    const token = await signServerToken(SECRET, 600);
    await expect(
      new TokenVerifier('another-secret-of-thirty-two-characters!').verify(token),
    ).rejects.toMatchObject({ code: 'token_invalid' });
  });
});

describe('admin console: live figures from /metrics', () => {
  const text = [
    '# HELP parley_connections Open WebSocket connections',
    '# TYPE parley_connections gauge',
    'parley_connections{node="a"} 3',
    'parley_connections{node="b"} 2',
    'parley_messages_total{node="a"} 10',
    'parley_http_request_duration_seconds_bucket{le="0.1",node="a"} 7',
    'parley_http_request_duration_seconds_count{node="a"} 7',
    'garbage line',
  ].join('\n');

  it('sums each metric over its series and skips comments and buckets', () => {
    const sums = sumMetrics(text);
    expect(sums.get('parley_connections')).toBe(5);
    expect(sums.get('parley_messages_total')).toBe(10);
    expect(sums.has('parley_http_request_duration_seconds_bucket')).toBe(false);
    expect(sums.get('parley_http_request_duration_seconds_count')).toBe(7);
  });

  it("turns two readings of a counter into a rate, and a restart's drop into none", () => {
    expect(ratePerSecond({ at: 0, value: 10 }, { at: 5_000, value: 35 })).toBe(5);
    expect(ratePerSecond(null, { at: 5_000, value: 35 })).toBeNull();
    expect(ratePerSecond({ at: 0, value: 40 }, { at: 5_000, value: 3 })).toBeNull();
  });
});
