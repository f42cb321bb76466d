import { beforeEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError, createStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { unreachableOptions, useContractStorage } from '../helpers/storage-contract.js';
import { T0 } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: storage`, () => {
    const world = useContractStorage(kind);
    const { channelOf, send } = world;
    let storage: Storage;
    beforeEach(() => {
      storage = world.storage;
    });

    describe('lifecycle', () => {
      it('keeps the data when migrations run a second time', async () => {
        await storage.ensureUser('alice', T0);
        await storage.migrate();
        expect((await storage.getUsers(['alice'])).map((u) => u.id)).toEqual(['alice']);
      });

      it('answers ping and reports its dialect', async () => {
        await expect(storage.ping()).resolves.toBeUndefined();
        expect(storage.dialect).toBe(kind);
      });

      it('rejects ping with StorageUnavailableError when the database cannot be reached', async () => {
        const broken = createStorage(await unreachableOptions(kind));
        try {
          await expect(broken.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
        } finally {
          await broken.close();
        }
      });

      it('finds an acknowledged message after the storage is closed and opened again', async () => {
        const channel = await channelOf('durable', ['alice']);
        await send(channel.cid, 'alice', 'm1');
        storage = await world.reopen();
        expect((await storage.getMessage('m1'))?.text).toBe('m1');
      });
    });

    describe('users', () => {
      it('inserts users with defaults and an update keeps the fields it does not specify', async () => {
        const [created] = await storage.upsertUsers(
          [{ id: 'alice', name: 'Alice', data: { team: 'red' } }],
          T0,
        );
        expect(created).toEqual({
          id: 'alice',
          name: 'Alice',
          image: null,
          role: 'user',
          data: { team: 'red' },
          createdAt: T0,
          updatedAt: T0,
          lastActive: null,
        });

        const [updated] = await storage.upsertUsers(
          [{ id: 'alice', image: 'https://img/a.png', role: 'admin' }],
          T0 + 1000,
        );
        expect(updated).toEqual({
          ...created,
          image: 'https://img/a.png',
          role: 'admin',
          updatedAt: T0 + 1000,
        });

        const [cleared] = await storage.upsertUsers([{ id: 'alice', name: null }], T0 + 2000);
        expect(cleared?.name).toBeNull();
        expect(cleared?.data).toEqual({ team: 'red' });
      });

      it('upsertUsers returns the users in the order given', async () => {
        const users = await storage.upsertUsers(
          [{ id: 'carol' }, { id: 'alice', name: 'A' }, { id: 'bob' }],
          T0,
        );
        expect(users.map((u) => u.id)).toEqual(['carol', 'alice', 'bob']);
        expect(await storage.upsertUsers([], T0)).toEqual([]);
      });

      it('ensureUser creates a user once and then returns it untouched', async () => {
        const first = await storage.ensureUser('bob', T0);
        expect(first).toMatchObject({
          id: 'bob',
          name: null,
          role: 'user',
          data: {},
          createdAt: T0,
        });
        await storage.upsertUsers([{ id: 'bob', name: 'Bob' }], T0 + 1);
        const again = await storage.ensureUser('bob', T0 + 2);
        expect(again).toMatchObject({ name: 'Bob', createdAt: T0, updatedAt: T0 + 1 });
      });

      it('getUsers returns only the users that exist', async () => {
        await storage.upsertUsers([{ id: 'a' }, { id: 'b' }], T0);
        const users = await storage.getUsers(['a', 'missing', 'b']);
        expect(users.map((u) => u.id).sort()).toEqual(['a', 'b']);
        expect(await storage.getUsers([])).toEqual([]);
      });

      it('queryUsers filters by ids, name or id prefix in any case, and role, sorted by id', async () => {
        await storage.upsertUsers(
          [
            { id: 'u1', name: 'Alice Smith' },
            { id: 'u2', name: 'bob' },
            { id: 'alex', name: null, role: 'admin' },
            { id: 'u3', name: 'ALBERT', role: 'admin' },
            { id: 'u4', name: '50%_off' },
          ],
          T0,
        );
        const ids = async (query: Parameters<Storage['queryUsers']>[0]) =>
          (await storage.queryUsers(query)).map((u) => u.id);

        expect(await ids({ limit: 10 })).toEqual(['alex', 'u1', 'u2', 'u3', 'u4']);
        expect(await ids({ ids: ['u2', 'u1', 'nobody'], limit: 10 })).toEqual(['u1', 'u2']);
        expect(await ids({ ids: [], limit: 10 })).toEqual([]);
        expect(await ids({ prefix: 'aL', limit: 10 })).toEqual(['alex', 'u1', 'u3']);
        expect(await ids({ prefix: 'U', limit: 10 })).toEqual(['u1', 'u2', 'u3', 'u4']);
        expect(await ids({ prefix: 'smith', limit: 10 })).toEqual([]);
        expect(await ids({ role: 'admin', limit: 10 })).toEqual(['alex', 'u3']);
        expect(await ids({ prefix: 'al', role: 'admin', limit: 10 })).toEqual(['alex', 'u3']);
        // LIKE wildcards in the prefix match themselves only.
        expect(await ids({ prefix: '50%_', limit: 10 })).toEqual(['u4']);
        expect(await ids({ prefix: '5_', limit: 10 })).toEqual([]);
      });

      it('queryUsers pages with afterId without skipping or repeating a user', async () => {
        const all = Array.from({ length: 7 }, (_, i) => ({ id: `user${i}` }));
        await storage.upsertUsers(all, T0);
        const seen: string[] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = await storage.queryUsers({ afterId, limit: 3 });
          if (page.length === 0) break;
          seen.push(...page.map((u) => u.id));
          afterId = page.at(-1)?.id;
        }
        expect(seen).toEqual(all.map((u) => u.id));
      });

      it('setLastActive stores the time and never moves it back', async () => {
        await storage.ensureUser('alice', T0);
        await storage.setLastActive('alice', T0 + 5000);
        await storage.setLastActive('alice', T0 + 1000);
        expect((await storage.getUsers(['alice']))[0]?.lastActive).toBe(T0 + 5000);
      });

      it('getContactIds lists each user sharing a channel once, without the user', async () => {
        await channelOf('one', ['alice', 'bob', 'carol']);
        await channelOf('two', ['alice', 'bob']);
        await channelOf('three', ['dave', 'erin']);
        expect((await storage.getContactIds('alice')).sort()).toEqual(['bob', 'carol']);
        expect(await storage.getContactIds('dave')).toEqual(['erin']);
        expect(await storage.getContactIds('nobody')).toEqual([]);
      });
    });
  });
}
