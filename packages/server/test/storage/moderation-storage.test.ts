import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/storage/moderation-records.js';
import type { Storage } from '../../src/storage/index.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { openTestStorage } from '../helpers/test-storage.js';
import { T0 } from '../helpers/storage-fixtures.js';

const audit = (id: string, action: string, at = T0): AuditRecord => ({
  id,
  createdAt: at,
  action,
  actorId: 'mod',
  targetUserId: 'bob',
  cid: 'team:mod',
  messageId: null,
  reason: null,
  data: { n: 1 },
});

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: moderation storage`, () => {
    let storage: Storage;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ storage, close } = await openTestStorage(kind));
      await storage.upsertUsers([{ id: 'bob' }, { id: 'mod' }], T0);
      await storage.getOrCreateChannel({
        cid: 'team:mod',
        type: 'team',
        id: 'mod',
        data: {},
        distinct: false,
        createdById: 'mod',
        members: [
          { userId: 'mod', role: 'owner' },
          { userId: 'bob', role: 'member' },
        ],
        now: T0,
      });
    });
    afterAll(async () => {
      await close?.();
    });

    it('creates a channel unfrozen; a freeze takes a seq and stores its event once', async () => {
      expect((await storage.getChannel('team:mod'))!.frozen).toBe(false);
      const build = (seq: number, at: number) => ({
        type: 'channel.frozen',
        cid: 'team:mod',
        seq,
        at,
      });
      const first = await storage.moderate(
        { op: 'freeze', cid: 'team:mod', frozen: true },
        audit('a1', 'freeze'),
        build,
      );
      expect(first.changed).toBe(true);
      expect(first.event).toMatchObject({ seq: 1, type: 'channel.frozen' });
      const again = await storage.moderate(
        { op: 'freeze', cid: 'team:mod', frozen: true },
        audit('a2', 'freeze'),
        build,
      );
      expect(again).toEqual({ changed: false, event: null });
      expect((await storage.getChannel('team:mod'))!).toMatchObject({ frozen: true, lastSeq: 1 });
      expect((await storage.getEvents('team:mod', 0, 10)).map((e) => e.type)).toEqual([
        'channel.frozen',
      ]);
    });

    it('stores a ban with its expiry, replaces it when banned again, and lifts it once', async () => {
      const ban = {
        kind: 'ban' as const,
        userId: 'bob',
        cid: null,
        byUserId: 'mod',
        reason: 'spam',
        createdAt: T0,
        expiresAt: T0 + 60_000,
      };
      const none = () => null;
      await storage.moderate({ op: 'restrict', restriction: ban }, audit('b1', 'ban'), none);
      await storage.moderate(
        { op: 'restrict', restriction: { ...ban, reason: 'again', expiresAt: null } },
        audit('b2', 'ban'),
        none,
      );
      expect(await storage.getRestrictions('bob')).toEqual([
        { ...ban, reason: 'again', expiresAt: null },
      ]);
      const lift = { op: 'lift' as const, kind: 'ban' as const, userId: 'bob', cid: null };
      expect((await storage.moderate(lift, audit('b3', 'unban'), none)).changed).toBe(true);
      expect((await storage.moderate(lift, audit('b4', 'unban'), none)).changed).toBe(false);
      expect(await storage.getRestrictions('bob')).toEqual([]);
    });

    it('keeps blocks both ways, and audit entries newest first with filters and pages', async () => {
      expect(await storage.setBlock('bob', 'mod', true, audit('c1', 'block', T0 + 5))).toBe(true);
      expect(await storage.setBlock('bob', 'mod', true, audit('c2', 'block', T0 + 6))).toBe(false);
      expect(await storage.getBlockedIds('bob')).toEqual(['mod']);
      expect(await storage.getBlockerIds('mod')).toEqual(['bob']);
      const blocks = await storage.queryAudit({ action: 'block', limit: 10 });
      expect(blocks.map((e) => e.id)).toEqual(['c1']);
      expect(blocks[0]!.data).toEqual({ n: 1 });
      const all = await storage.queryAudit({ limit: 2 });
      const rest = await storage.queryAudit({
        limit: 10,
        before: { createdAt: all[1]!.createdAt, id: all[1]!.id },
      });
      const ids = [...all, ...rest].map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids[0]).toBe('c1');
      expect(ids).toContain('a1');
    });

    it('mutes a channel for one user only', async () => {
      expect(await storage.setChannelMute('bob', 'team:mod', true, T0)).toBe(true);
      expect(await storage.setChannelMute('bob', 'team:mod', true, T0)).toBe(false);
      expect(await storage.getMutedChannelIds('bob')).toEqual(['team:mod']);
      expect(await storage.getMutedChannelIds('mod')).toEqual([]);
    });
  });
}
