import type { BenchUser } from '../lib/setup.js';
import { workerMain } from '../lib/worker-side.js';
import { openAll } from '../lib/open-all.js';
import { openParleyConnection } from '../lib/ws-connection.js';

/** A user and the local address its connection comes from. */
export interface IdleUser extends BenchUser {
  localAddress: string;
}

export interface IdleWorkerInput {
  wsUrl: string;
  users: IdleUser[];
}

/** Opens its users' connections and holds them, idle, until the runner closes the group. */
workerMain<IdleWorkerInput, { open: number }>(async (input) => {
  const connections = await openAll(
    input.users,
    (user) =>
      openParleyConnection(input.wsUrl, user.userId, user.token, {
        localAddress: user.localAddress,
        timeoutMs: 60_000,
      }),
    100,
  );
  return {
    run: async () => ({ open: connections.filter((c) => c.socket.readyState === 1).length }),
    close: () => Promise.all(connections.map((c) => c.close())).then(() => undefined),
  };
});
