import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../packages/client/src/index.js';
import { waitUntil } from '../../packages/client/test/helpers/wait.js';
import { Cluster, CLUSTER_AVAILABLE, type ClusterClient } from './helpers/cluster.js';
import { expectEachOnceInOrder, sendAll } from './helpers/traffic.js';

/** The server's heartbeat in these tests: presence expires after about two of them. */
const HEARTBEAT_MS = 500;

describe.skipIf(!CLUSTER_AVAILABLE)('three nodes on PostgreSQL and Redis behind nginx', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start(3, { heartbeatMs: HEARTBEAT_MS });
    await cluster.createUsers('ann', 'bo', 'cy', 'dee', 'eve', 'fin', 'gus', 'pat', 'ray');
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('carries messages, typing, reads and presence between clients on different nodes', async () => {
    await cluster.createChannel('team', 'flow', ['ann', 'bo', 'cy']);
    const ann = await cluster.connect('ann');
    const bo = await cluster.connect('bo');
    const annChannel = ann.client.channel('team', 'flow');
    const boChannel = bo.client.channel('team', 'flow');
    await annChannel.watch();
    await boChannel.watch();
    const cy = await cluster.connect('cy');
    // least_conn spreads the three over the three nodes.
    expect(new Set([ann.node, bo.node, cy.node]).size).toBe(3);

    await waitUntil('ann to see cy come online', () => annChannel.state.online.includes('cy'));
    const sent = await annChannel.sendMessage({ text: 'hello from ann' });
    await waitUntil('bo to get ann’s message', () =>
      boChannel.state.messages.some((m) => m.id === sent.id && m.status === 'sent'),
    );
    boChannel.keystroke();
    await waitUntil('ann to see bo typing', () => annChannel.state.typing.includes('bo'));
    boChannel.markRead();
    await waitUntil(
      'ann to see bo’s read',
      () => annChannel.state.read['bo']?.last_read_seq === sent.seq,
    );
    await cy.client.disconnect();
    await waitUntil('ann to see cy go offline', () => !annChannel.state.online.includes('cy'));
  });

  it('loses and repeats nothing acknowledged when a node is SIGKILLed mid-traffic; its users show offline, then online once back', async () => {
    await cluster.createChannel('team', 'kill', ['dee', 'eve', 'fin', 'gus', 'pat']);
    const reader = await cluster.connect('gus');
    const readerChannel = reader.client.channel('team', 'kill');
    await readerChannel.watch();
    const senders: ClusterClient[] = [];
    for (const user of ['dee', 'eve', 'fin']) senders.push(await cluster.connect(user));
    // The victim is a node some sender is on and the reader is not.
    const doomed = senders.find((s) => s.node !== reader.node)!;
    const victim = doomed.node!;
    // pat's only connection is on the victim, and pat will not come back by itself.
    const pat = await cluster.socketOn(victim, 'pat');
    await waitUntil('gus to see pat online', () => readerChannel.state.online.includes('pat'));

    const acked: LocalMessage[][] = [];
    const traffic = senders.map((s, i) =>
      sendAll(s.client.channel('team', 'kill'), `kill-${i}`, 40).then((m) => (acked[i] = m)),
    );
    await waitUntil('traffic under way', () => readerChannel.state.messages.length >= 15);
    await cluster.node(victim).stop('SIGKILL');
    pat.terminate();
    await Promise.all(traffic);

    // Every acknowledged message, from every sender, once each and in seq order.
    const ids = acked.flat().map((m) => m.id);
    expect(ids).toHaveLength(120);
    await waitUntil('gus to have all 120', () => readerChannel.state.messages.length >= 120);
    expectEachOnceInOrder(readerChannel.state.messages, ids);
    const history = await cluster.api('GET', '/channels/team/kill/messages?limit=200');
    expectEachOnceInOrder(history.body.messages, ids);
    // The victim's clients came back through nginx to the other nodes.
    expect(doomed.node).not.toBe(victim);

    await waitUntil(
      'gus to see pat offline (the dead node’s connections expire)',
      () => !readerChannel.state.online.includes('pat'),
    );
    const patAgain = await cluster.connect('pat');
    await waitUntil('gus to see pat online again', () =>
      readerChannel.state.online.includes('pat'),
    );
    await patAgain.client.disconnect();

    cluster.node(victim).spawn();
    await cluster.node(victim).waitHealthy();
  }, 60_000);

  it('shows clients no error and loses nothing through a rolling restart (SIGTERM, one node at a time)', async () => {
    await cluster.createChannel('team', 'roll', ['ann', 'bo', 'ray']);
    const clients = [await cluster.connect('ann'), await cluster.connect('bo')];
    const errors: unknown[] = [];
    const states: string[][] = clients.map(() => []);
    clients.forEach((c, i) => {
      c.client.on('error', (e) => errors.push(e));
      c.client.on('connection.changed', (e) => {
        states[i]!.push(e.state);
        if (e.error !== undefined) errors.push(e.error);
      });
    });
    // The reader keeps every message: on a loaded machine the restarts last long enough for
    // the senders to pass the channel's default window of 500, which drops the oldest.
    const reader = await cluster.connect('ray', { maxMessages: 100_000 });
    const readerChannel = reader.client.channel('team', 'roll');
    await readerChannel.watch();
    for (const c of clients) await c.client.channel('team', 'roll').watch();

    const acked: LocalMessage[][] = [];
    let rolling = true;
    const traffic = clients.map(async (c, i) => {
      const out: LocalMessage[] = [];
      const channel = c.client.channel('team', 'roll');
      for (let n = 0; rolling || n < 10; n++)
        out.push(...(await sendAll(channel, `roll-${i}-${n}`, 1)));
      acked[i] = out;
    });
    for (const node of cluster.nodes) {
      expect(await node.stop('SIGTERM')).toBe(0);
      node.spawn();
      await node.waitHealthy();
    }
    rolling = false;
    await Promise.all(traffic);

    expect(errors).toEqual([]);
    // Each went through at least one planned reconnect, and never stopped.
    for (const s of states) {
      expect(s).toContain('reconnecting');
      expect(s).not.toContain('disconnected');
    }
    for (const c of clients) expect(c.closeCodes).toContain(4000);
    const ids = acked.flat().map((m) => m.id);
    await waitUntil(
      'ray to have every message',
      () => readerChannel.state.messages.length >= ids.length,
    );
    expectEachOnceInOrder(readerChannel.state.messages, ids);
  }, 90_000);
});
