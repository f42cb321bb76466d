import type { TestServer } from '../../../server/test/helpers/test-server.js';
import type { Channel, ChatClient, ChatClientOptions } from '../../src/index.js';
import type { ClientPool } from './chat-harness.js';

/** Two members of one channel, each with a connected client watching it. */
export interface TwoMembers {
  ann: ChatClient;
  ben: ChatClient;
  annChannel: Channel;
  benChannel: Channel;
}

/**
 * Creates `messaging:<channelId>` with ann and ben, connects a client for each (ann's
 * through `annUrl` when given, e.g. a TcpProxy's) and watches the channel on both.
 */
export async function twoMembers(
  server: TestServer,
  pool: ClientPool,
  channelId: string,
  options: { annUrl?: string; ann?: Partial<ChatClientOptions> } = {},
): Promise<TwoMembers> {
  await server.createChannel('messaging', channelId, ['ann', 'ben'], 'ann');
  const ann = pool.create(options.annUrl ?? server.url, options.ann);
  const ben = pool.create(server.url);
  await ann.connectUser({ id: 'ann' }, await server.tokenFor('ann'));
  await ben.connectUser({ id: 'ben' }, await server.tokenFor('ben'));
  const annChannel = ann.channel('messaging', channelId);
  const benChannel = ben.channel('messaging', channelId);
  await Promise.all([annChannel.watch(), benChannel.watch()]);
  return { ann, ben, annChannel, benChannel };
}

/** The message `id` in the channel's state. */
export const shown = (channel: Channel, id: string) =>
  channel.state.messages.find((m) => m.id === id);
