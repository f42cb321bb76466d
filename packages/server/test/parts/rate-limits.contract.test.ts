import { ChatError } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Limits } from '../../src/config.js';
import { createMemoryRateLimits } from '../../src/rate-limits/memory/memory-rate-limits.js';
import type { RateLimits } from '../../src/rate-limits/rate-limits.js';
import { createRedisRateLimits } from '../../src/rate-limits/redis/redis-rate-limits.js';
import {
  memoryVariant,
  redisVariant,
  variants,
  type PartNodes,
  type PartVariant,
} from '../helpers/part-variants.js';

type ClosableRateLimits = RateLimits & { close(): Promise<void> };
type RateLimitsVariant = PartVariant<ClosableRateLimits, Partial<Limits>>;

const limits = (overrides: Partial<Limits>): Limits => ({
  maxMessageLength: 5_000,
  maxBodyBytes: 262_144,
  maxFrameBytes: 65_536,
  maxCustomDataBytes: 16_384,
  messagesPerWindow: 3,
  requestsPerWindow: 3,
  rateWindowMs: 60_000,
  editWindowMs: 0,
  maxReactionTypes: 25,
  maxUploadBytes: 1_000,
  maxImagePixels: 1_000,
  uploadsPerWindow: 2,
  ...overrides,
});

async function refusal(attempt: Promise<void>): Promise<ChatError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}

/** The contract every rate limit keeps; run against each implementation. */
export function rateLimitsContract(variant: RateLimitsVariant): void {
  describe(`${variant.name}: rate limits`, () => {
    let cluster: PartNodes<ClosableRateLimits> | undefined;
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    it('allows one message per slow-mode interval per key, on every node, with the wait', async () => {
      cluster = await variant.start(2, {});
      const [a, b] = cluster.nodes as [ClosableRateLimits, ClosableRateLimits];
      await a.consumeSlowMode('team:x\nann', 30);
      const error = await refusal(b.consumeSlowMode('team:x\nann', 30));
      expect(error.code).toBe('slow_mode');
      expect(error.details?.slow_mode_s).toBe(30);
      expect(error.details?.retry_after_ms).toBeGreaterThan(0);
      expect(error.details?.retry_after_ms).toBeLessThanOrEqual(30_000);
      // Another channel, another user, another interval: each has its own turn.
      await a.consumeSlowMode('team:y\nann', 30);
      await a.consumeSlowMode('team:x\nbo', 30);
      await a.consumeSlowMode('team:x\nann', 60);
    });

    it('refuses the message after the budget with rate_limited and the wait, per user', async () => {
      cluster = await variant.start(1, {});
      const [r] = cluster.nodes as [ClosableRateLimits];
      for (let i = 0; i < 3; i++) await r.consumeMessage('ann');
      const error = await refusal(r.consumeMessage('ann'));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retry_after_ms).toBeGreaterThan(0);
      expect(error.details?.retry_after_ms).toBeLessThanOrEqual(60_000);
      await r.consumeMessage('bo'); // another user has a budget of their own
      await r.consumeRequest('ann'); // and requests are another budget
    });

    it('refuses the upload after the budget, which messages do not spend', async () => {
      cluster = await variant.start(1, {});
      const [r] = cluster.nodes as [ClosableRateLimits];
      for (let i = 0; i < 3; i++) await r.consumeMessage('ann');
      await r.consumeUpload('ann');
      await r.consumeUpload('ann');
      const error = await refusal(r.consumeUpload('ann'));
      expect(error.code).toBe('rate_limited');
      expect(error.details?.retry_after_ms).toBeGreaterThan(0);
      await r.consumeUpload('bo');
    });

    it('gives a refunded message back to the budget', async () => {
      cluster = await variant.start(1, {});
      const [r] = cluster.nodes as [ClosableRateLimits];
      for (let i = 0; i < 3; i++) await r.consumeMessage('ann');
      await r.refundMessage('ann');
      await r.consumeMessage('ann');
      expect((await refusal(r.consumeMessage('ann'))).code).toBe('rate_limited');
    });

    it('limits nothing when a budget is 0', async () => {
      cluster = await variant.start(1, {
        messagesPerWindow: 0,
        requestsPerWindow: 0,
        uploadsPerWindow: 0,
      });
      const [r] = cluster.nodes as [ClosableRateLimits];
      for (let i = 0; i < 50; i++) {
        await r.consumeMessage('ann');
        await r.consumeRequest('ann');
        await r.consumeUpload('ann');
      }
    });

    // In process each node counts alone; sharing one budget is what Redis is for.
    it.skipIf(!variant.separateNodes)(
      'makes a user spend one budget across every node',
      async () => {
        cluster = await variant.start(3, {});
        const [a, b, c] = cluster.nodes as [
          ClosableRateLimits,
          ClosableRateLimits,
          ClosableRateLimits,
        ];
        await a.consumeRequest('ann');
        await b.consumeRequest('ann');
        await c.consumeRequest('ann');
        expect((await refusal(a.consumeRequest('ann'))).code).toBe('rate_limited');
      },
    );
  });
}

/** A RateLimits with the close() the variants expect (nothing of its own to close). */
function closable(r: RateLimits): ClosableRateLimits {
  return {
    consumeMessage: (id) => r.consumeMessage(id),
    refundMessage: (id) => r.refundMessage(id),
    consumeRequest: (key) => r.consumeRequest(key),
    consumeUpload: (id) => r.consumeUpload(id),
    consumeSlowMode: (key, seconds) => r.consumeSlowMode(key, seconds),
    close: async () => {},
  };
}

const memory: RateLimitsVariant = memoryVariant((overrides) =>
  closable(createMemoryRateLimits({ limits: limits(overrides) })),
);
const redis: RateLimitsVariant = redisVariant((clients, keyPrefix, overrides) =>
  closable(
    createRedisRateLimits({ limits: limits(overrides), redis: clients.commands, keyPrefix }),
  ),
);

for (const variant of variants(memory, redis)) rateLimitsContract(variant);
