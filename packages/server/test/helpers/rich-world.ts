import { TestServer } from './test-server.js';
import type { StorageKind } from './storages.js';

/**
 * A server with a channel `messaging:<name>` owned by alice, with bob and carol as members,
 * mod as moderator, dave outside it and root an app admin: the cast of the rich-message
 * tests. `as(user)` makes the REST options of that user's token.
 */
export async function startRichWorld(kind: StorageKind, name: string, options = {}) {
  const server = await TestServer.start(kind, options);
  await server.createUsers('alice', 'bob', 'carol', 'mod', 'dave');
  await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
  const cid = await server.createChannel('messaging', name, ['bob', 'carol'], 'alice');
  await server.api('POST', `/channels/messaging/${name}/members`, {
    body: { user_ids: ['mod'], role: 'moderator' },
  });
  const tokens = new Map<string, string>();
  for (const id of ['alice', 'bob', 'carol', 'mod', 'dave', 'root']) {
    tokens.set(id, await server.tokenFor(id));
  }
  const as = (user: string, extra: { body?: unknown } = {}) => ({
    token: tokens.get(user)!,
    ...extra,
  });
  /** Sends a message over REST as `user`; answers the stored message. */
  const send = async (user: string, body: Record<string, unknown>) => {
    const res = await server.api(
      'POST',
      `/channels/messaging/${name}/messages`,
      as(user, { body }),
    );
    if (res.status !== 201) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.message as Record<string, any>;
  };
  /** The channel's event log after `since`, read by the server. */
  const events = async (since = 0) =>
    (await server.api('GET', `/channels/messaging/${name}/events?since_seq=${since}&limit=500`))
      .body.events as Record<string, any>[];
  return { server, cid, path: `/channels/messaging/${name}`, as, send, events };
}

export type RichWorld = Awaited<ReturnType<typeof startRichWorld>>;
