import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: what app admins do with their own token`, () => {
    let server: TestServer;
    const as = async (user: string, body?: unknown) => ({
      token: await server.tokenFor(user),
      ...(body === undefined ? {} : { body }),
    });
    const cidsOf = (res: { body: { channels: { channel: { cid: string } }[] } }) =>
      res.body.channels.map((c) => c.channel.cid).sort();

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('ana', 'ben', 'cy');
      await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
      await server.createChannel('messaging', 'ana-ben', ['ben'], 'ana');
      await server.createChannel('team', 'cy', ['cy'], 'cy');
      await server.createChannel('messaging', 'roots', ['root'], 'root');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('an admin lists every channel with all=true, and only their own without it', async () => {
      const all = await server.api('GET', '/channels?all=true', await as('root'));
      expect(all.status).toBe(200);
      expect(cidsOf(all)).toEqual(['messaging:ana-ben', 'messaging:roots', 'team:cy']);
      expect(cidsOf(await server.api('GET', '/channels', await as('root')))).toEqual([
        'messaging:roots',
      ]);
      // The server may ask too; naming a user with all=true is a contradiction.
      expect(cidsOf(await server.api('GET', '/channels?all=true'))).toHaveLength(3);
      expectError(await server.api('GET', '/channels?all=true&user_id=ana'), 'invalid_request');
    });

    it('refuses all=true to a user who is not an admin (403 forbidden)', async () => {
      const res = await server.api('GET', '/channels?all=true', await as('ana'));
      expectError(res, 'forbidden');
      expect(res.body.error.details).toEqual({ action: 'list_all_channels' });
      expect(cidsOf(await server.api('GET', '/channels?all=false', await as('ana')))).toEqual([
        'messaging:ana-ben',
      ]);
    });

    it('an admin changes a role (audited once), which applies to the next request', async () => {
      const res = await server.api(
        'PUT',
        '/users/ben/role',
        await as('root', { role: 'admin', reason: 'runs the desk' }),
      );
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: 'ben', role: 'admin' });
      expect((await server.api('GET', '/users/ben')).body.user.role).toBe('admin');
      // Ben, now an admin, sees every channel.
      expect(cidsOf(await server.api('GET', '/channels?all=true', await as('ben')))).toHaveLength(
        3,
      );
      // The same role again changes nothing and is not audited again.
      await server.api('PUT', '/users/ben/role', await as('root', { role: 'admin' }));
      const audit = await server.api('GET', '/audit-log?action=user.role');
      expect(audit.body.entries).toHaveLength(1);
      expect(audit.body.entries[0]).toMatchObject({
        actor_id: 'root',
        target_user_id: 'ben',
        reason: 'runs the desk',
        data: { role: 'admin' },
      });
      // And back, by the server.
      const back = await server.api('PUT', '/users/ben/role', { body: { role: 'user' } });
      expect(back.body.user.role).toBe('user');
      expectError(await server.api('GET', '/channels?all=true', await as('ben')), 'forbidden');
    });

    it('refuses role changes to others (403 forbidden) and bad requests with documented codes', async () => {
      const refused = await server.api('PUT', '/users/ana/role', await as('cy', { role: 'admin' }));
      expectError(refused, 'forbidden');
      expect(refused.body.error.details).toEqual({ action: 'assign_app_roles' });
      expect((await server.api('GET', '/users/ana')).body.user.role).toBe('user');
      expectError(
        await server.api('PUT', '/users/nobody/role', await as('root', { role: 'admin' })),
        'user_not_found',
      );
      expectError(
        await server.api('PUT', '/users/ana/role', await as('root', { role: 'owner' })),
        'invalid_request',
      );
      expectError(
        await server.api('PUT', '/users/ana/role', await as('root', { role: 'admin', x: 1 })),
        'invalid_request',
      );
    });
  });
}
