import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PERMISSIONS,
  TEAM_PERMISSIONS,
  channelActions,
  type ChannelAction,
  type ChannelPermissions,
  type PermissionRole,
} from '@parley/protocol';
import {
  ACTOR_OF,
  MATRIX_ROLES,
  PermissionProbes,
  castChannel,
  type MatrixRole,
  type Outcome,
} from '../../helpers/permission-probes.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

/** A type that differs from `messaging` in nearly every action. */
const STRICT: ChannelPermissions = {
  send: ['owner', 'admin'],
  reply: ['owner', 'moderator', 'member'],
  react: ['member'],
  upload: ['moderator'],
  mention: ['owner'],
  edit_others: ['moderator'],
  delete_others: ['owner', 'member'],
  hard_delete: ['owner', 'admin'],
  pin: ['member'],
  add_members: ['member', 'admin'],
  remove_members: ['owner'],
  assign_roles: ['moderator', 'member'],
  update_channel: ['member'],
  delete_channel: ['moderator'],
  moderate: ['member'],
  skip_slow_mode: ['owner', 'member'],
};

/** Each type, with the permissions the test expects it to have. */
const TYPES: Record<string, ChannelPermissions> = {
  messaging: DEFAULT_PERMISSIONS,
  team: TEAM_PERMISSIONS,
  strict: STRICT,
};

/** What a role should observe: some probes need a second permission too (see the probes). */
function expected(
  permissions: ChannelPermissions,
  role: MatrixRole,
  action: ChannelAction,
): Outcome {
  if (role === 'outsider') return 'not_member';
  const can = (a: ChannelAction) => permissions[a].includes(role as PermissionRole);
  const needs: Partial<Record<ChannelAction, ChannelAction[]>> = {
    mention: ['send', 'mention'],
    hard_delete: ['hard_delete', 'delete_others'],
    assign_roles: ['add_members', 'assign_roles'],
    skip_slow_mode: ['send'],
  };
  if (!(needs[action] ?? [action]).every(can)) return 'forbidden';
  if (action === 'skip_slow_mode' && !can('skip_slow_mode')) return 'slow_mode';
  return 'ok';
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: the permission matrix (every type × role × action)`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind, {
        limits: { messagesPerWindow: 0, requestsPerWindow: 0 },
      });
      await server.createUsers('own', 'mod', 'mem', 'out', 'author', 'bystander');
      await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
      const created = await server.api('POST', '/channel-types/strict', {
        body: { permissions: STRICT },
      });
      expect(created.status).toBe(201);
      for (const type of Object.keys(TYPES)) await castChannel(server, type, 'matrix');
    });
    afterAll(async () => {
      await server?.close();
    });

    for (const [type, permissions] of Object.entries(TYPES)) {
      for (const role of MATRIX_ROLES) {
        it(`${type}: a channel's ${role} is allowed exactly what the type grants, on REST`, async () => {
          const probes = new PermissionProbes(server, type);
          const observed: Record<string, Outcome> = {};
          const wanted: Record<string, Outcome> = {};
          for (const action of channelActions) {
            observed[action] = await probes.probe(action, ACTOR_OF[role]);
            wanted[action] = expected(permissions, role, action);
          }
          expect(observed).toEqual(wanted);
        });
      }
    }

    it('serves each type’s settings as the matrix assumed them', async () => {
      for (const [type, permissions] of Object.entries(TYPES)) {
        const res = await server.api('GET', `/channel-types/${type}`);
        expect(res.status).toBe(200);
        expect(res.body.channel_type.permissions).toEqual(permissions);
      }
    });
  });
}
