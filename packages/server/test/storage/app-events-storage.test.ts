import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.js';
import type {
  AppEventDraft,
  AuditRecord,
  FlagRecord,
} from '../../src/storage/moderation-records.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { openTestStorage } from '../helpers/test-storage.js';
import { T0, dispatchOptions, webhookFor } from '../helpers/storage-fixtures.js';

let auditIds = 0;
const audit = (action: string): AuditRecord => ({
  id: `audit-${++auditIds}`,
  createdAt: T0,
  action,
  actorId: 'mod',
  targetUserId: 'bob',
  cid: null,
  messageId: null,
  reason: null,
  data: {},
});
const flag = (id: string): FlagRecord => ({
  id,
  kind: 'user',
  cid: null,
  messageId: null,
  targetUserId: 'bob',
  flaggedBy: 'mod',
  reason: null,
  createdAt: T0,
  resolution: null,
});
const event = (type: string, payload: Record<string, unknown> = {}): AppEventDraft => ({
  type,
  createdAt: T0,
  payload,
});

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: app events`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    const seqs = async () => (await storage.getAppEvents(0, 1000)).map((e) => [e.seq, e.type]);

    beforeAll(async () => {
      ({ storage, close } = await openTestStorage(kind));
      await storage.upsertUsers([{ id: 'bob' }, { id: 'mod' }], T0);
    });
    afterAll(async () => {
      await close?.();
    });

    it('numbers each app event in the transaction of its action, and writes none for a no-op', async () => {
      expect(await storage.getAppEvents(0, 10)).toEqual([]);
      await storage.addFlag(flag('f1'), audit('flag'), event('flag.created', { flag_id: 'f1' }));
      const resolution = { kind: 'dismissed' as const, byUserId: 'mod', at: T0 + 1 };
      const resolved = await storage.resolveFlag('f1', resolution, audit('flag.resolve'), (f) =>
        event('flag.resolved', { resolution: f.resolution?.kind }),
      );
      expect(resolved!.changed).toBe(true);
      // Resolving again changes nothing: no second event.
      await storage.resolveFlag('f1', resolution, audit('flag.resolve'), () => event('x'));
      const ban = {
        kind: 'ban' as const,
        userId: 'bob',
        cid: null,
        byUserId: 'mod',
        reason: null,
        createdAt: T0,
        expiresAt: null,
      };
      await storage.moderate(
        { op: 'restrict', restriction: ban },
        audit('ban'),
        () => null,
        event('user.banned'),
      );
      const lift = { op: 'lift' as const, kind: 'ban' as const, userId: 'bob', cid: null };
      await storage.moderate(lift, audit('unban'), () => null, event('user.unbanned'));
      await storage.moderate(lift, audit('unban'), () => null, event('user.unbanned'));
      const role = await storage.setUserRole('bob', 'admin', T0, audit('user.role'), (before) =>
        event('user.role_changed', { previous_role: before }),
      );
      expect(role).toMatchObject({ changed: true, user: { id: 'bob', role: 'admin' } });
      const same = await storage.setUserRole('bob', 'admin', T0, audit('user.role'), () =>
        event('x'),
      );
      expect(same).toMatchObject({ changed: false, user: { role: 'admin' } });
      expect(
        await storage.setUserRole('nobody', 'admin', T0, audit('user.role'), () => event('x')),
      ).toBeNull();

      expect(await seqs()).toEqual([
        [1, 'flag.created'],
        [2, 'flag.resolved'],
        [3, 'user.banned'],
        [4, 'user.unbanned'],
        [5, 'user.role_changed'],
      ]);
      const [created, resolvedEvent, , , roleChanged] = await storage.getAppEvents(0, 10);
      expect(created!.payload).toEqual({
        type: 'flag.created',
        seq: 1,
        created_at: new Date(T0).toISOString(),
        flag_id: 'f1',
      });
      expect(resolvedEvent!.payload).toMatchObject({ resolution: 'dismissed' });
      expect(roleChanged!.payload).toMatchObject({ previous_role: 'user' });
      expect((await storage.getAppEvents(3, 1)).map((e) => e.seq)).toEqual([4]);
    });

    it('writes no event when its action fails, and gives concurrent actions distinct, gapless seqs', async () => {
      const before = (await storage.getAppEvents(0, 1000)).length;
      // The same flag id twice: the insert fails, and its event goes with it.
      await expect(
        storage.addFlag(flag('f1'), audit('flag'), event('flag.created')),
      ).rejects.toThrow();
      expect((await storage.getAppEvents(0, 1000)).length).toBe(before);

      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          storage.addFlag(flag(`c${i}`), audit('flag'), event('flag.created')),
        ),
      );
      const all = (await storage.getAppEvents(0, 1000)).map((e) => e.seq);
      expect(all).toEqual(Array.from({ length: before + 12 }, (_, i) => i + 1));
    });

    it('dispatches each app event once to every endpoint that wants it, with cid null and its app seq', async () => {
      await storage.notifications.createWebhook(webhookFor('all', ['*']));
      await storage.notifications.createWebhook(webhookFor('flags', ['flag.*']));
      const options = dispatchOptions(7);
      const total = (await storage.getAppEvents(0, 1000)).length;
      let taken = 0;
      for (let round = 0; round < 10; round++)
        taken += (await storage.notifications.dispatch(options)).taken;
      expect(taken).toBe(total);
      expect(await storage.notifications.dispatch(options)).toEqual({ taken: 0, more: false });

      const pending = await storage.notifications.listDeliveries({
        status: 'pending',
        limit: 500,
      });
      const forAll = pending.filter((d) => d.webhookId === 'all');
      expect(forAll.map((d) => d.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: total }, (_, i) => i + 1),
      );
      expect(forAll.every((d) => d.cid === null)).toBe(true);
      const flagTypes = new Set(pending.filter((d) => d.webhookId === 'flags').map((d) => d.type));
      expect([...flagTypes].sort()).toEqual(['flag.created', 'flag.resolved']);
      expect(JSON.parse(forAll.find((d) => d.seq === 3)!.body)).toMatchObject({
        cid: null,
        seq: 3,
        type: 'user.banned',
      });
      // Claimed one at a time per endpoint, in app seq order, as a channel's events are.
      const claimed = await storage.notifications.claimDeliveries(T0, 100, 1000);
      expect(claimed.filter((d) => d.webhookId === 'all').map((d) => d.seq)).toEqual([1]);
    });
  });
}
