import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: resolving flags (the admin console's queue)`, () => {
    let w: RichWorld;
    let spamFlag: string;
    let rudeFlag: string;

    const flagAs = async (user: string, messageId: string, reason: string) => {
      const res = await w.server.api(
        'POST',
        '/moderation/flag',
        w.as(user, { body: { message_id: messageId, reason } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.flag).toMatchObject({
        resolution: null,
        resolved_by: null,
        resolved_at: null,
      });
      return res.body.flag.id as string;
    };
    const queue = async (query = '') =>
      ((await w.server.api('GET', `/moderation/flags${query}`)).body.flags as any[]).map(
        (f) => f.reason,
      );

    beforeAll(async () => {
      w = await startRichWorld(kind, 'resolve');
      spamFlag = await flagAs('bob', (await w.send('carol', { text: 'spam' })).id, 'spam');
      rudeFlag = await flagAs('carol', (await w.send('bob', { text: 'rude' })).id, 'rude');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('lists open flags by default, and resolved or all of them on request', async () => {
      expect(await queue()).toEqual(['rude', 'spam']);
      expect(await queue('?status=resolved')).toEqual([]);
      expect(await queue('?status=all')).toEqual(['rude', 'spam']);
      expectError(await w.server.api('GET', '/moderation/flags?status=closed'), 'invalid_request');
    });

    it("lets the channel's moderator dismiss a flag; it leaves the queue, audited", async () => {
      const res = await w.server.api(
        'POST',
        `/moderation/flags/${rudeFlag}/resolve`,
        w.as('mod', { body: { reason: 'banter' } }),
      );
      expect(res.status).toBe(200);
      expect(res.body.flag).toMatchObject({
        id: rudeFlag,
        resolution: 'dismissed',
        resolved_by: 'mod',
      });
      expect(Date.parse(res.body.flag.resolved_at)).toBeGreaterThan(0);
      expect(await queue()).toEqual(['spam']);
      expect(await queue('?status=resolved')).toEqual(['rude']);
      const log = await w.server.api('GET', '/audit-log?action=flag.resolve');
      expect(log.body.entries).toHaveLength(1);
      expect(log.body.entries[0]).toMatchObject({
        actor_id: 'mod',
        cid: w.cid,
        target_user_id: 'bob',
        reason: 'banter',
        data: { flag_id: rudeFlag, resolution: 'dismissed' },
      });
    });

    it('changes nothing when a resolved flag is resolved again', async () => {
      const again = await w.server.api('POST', `/moderation/flags/${rudeFlag}/resolve`, {
        body: { resolution: 'actioned' },
      });
      expect(again.status).toBe(200);
      expect(again.body.flag).toMatchObject({ resolution: 'dismissed', resolved_by: 'mod' });
      const log = await w.server.api('GET', '/audit-log?action=flag.resolve');
      expect(log.body.entries).toHaveLength(1);
    });

    it('lets the server mark a flag actioned for a moderator', async () => {
      const res = await w.server.api('POST', `/moderation/flags/${spamFlag}/resolve`, {
        body: { resolution: 'actioned', user_id: 'root' },
      });
      expect(res.body.flag).toMatchObject({ resolution: 'actioned', resolved_by: 'root' });
      expect(await queue()).toEqual([]);
    });

    it('refuses members who do not moderate, unknown flags and bad bodies', async () => {
      expectError(
        await w.server.api('POST', `/moderation/flags/${spamFlag}/resolve`, w.as('bob')),
        'forbidden',
      );
      expectError(
        await w.server.api('POST', '/moderation/flags/no-such-flag/resolve', {}),
        'flag_not_found',
      );
      expectError(
        await w.server.api('POST', `/moderation/flags/${spamFlag}/resolve`, {
          body: { resolution: 'deleted' },
        }),
        'invalid_request',
      );
    });
  });
}
