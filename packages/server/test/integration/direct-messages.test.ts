import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: direct messages`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol', 'dave', 'erin');
    });

    afterAll(async () => {
      await server?.close();
    });

    /** `POST /channels/messaging` with the caller's own token, as a front end does. */
    async function openDm(caller: string, members: string[]) {
      return server.api('POST', '/channels/messaging', {
        token: await server.tokenFor(caller),
        body: { members },
      });
    }

    it('gives two users the same DM whichever of them opens it first', async () => {
      const byAlice = await openDm('alice', ['alice', 'bob']);
      expect(byAlice.status).toBe(201);
      expect(byAlice.body.created).toBe(true);
      expect(byAlice.body.channel.distinct).toBe(true);
      expect(byAlice.body.channel.type).toBe('messaging');
      const cid: string = byAlice.body.channel.cid;
      expect(byAlice.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([
        'alice',
        'bob',
      ]);

      // Bob lists the members the other way round and gets the DM Alice opened.
      const byBob = await openDm('bob', ['bob', 'alice']);
      expect(byBob.status).toBe(200);
      expect(byBob.body.created).toBe(false);
      expect(byBob.body.channel.cid).toBe(cid);

      // A repeat by Alice changes nothing either.
      const again = await openDm('alice', ['bob', 'alice']);
      expect(again.body.created).toBe(false);
      expect(again.body.channel.cid).toBe(cid);
    });

    it('opens the DM from the other member alone: the caller is added', async () => {
      const full = await openDm('alice', ['alice', 'bob']);
      const short = await openDm('bob', ['alice']);
      expect(short.status).toBe(200);
      expect(short.body.channel.cid).toBe(full.body.channel.cid);
    });

    it('gives a different pair a different DM that the first pair cannot read', async () => {
      const aliceBob = await openDm('alice', ['alice', 'bob']);
      const aliceCarol = await openDm('carol', ['carol', 'alice']);
      expect(aliceCarol.status).toBe(201);
      expect(aliceCarol.body.channel.cid).not.toBe(aliceBob.body.channel.cid);

      const [type, id] = splitCid(aliceBob.body.channel.cid);
      const carolPeeks = await server.api('GET', `/channels/${type}/${id}`, {
        token: await server.tokenFor('carol'),
      });
      expect(carolPeeks.status).toBe(403);
      expect(carolPeeks.body.error.code).toBe('not_member');
    });

    it('delivers 20 alternating messages to both users in the order they were sent', async () => {
      const cid: string = (await openDm('dave', ['dave', 'erin'])).body.channel.cid;
      const dave = await server.connect('dave');
      const erin = await server.connect('erin');
      try {
        await dave.watch(cid);
        await erin.watch(cid);

        const sent: string[] = [];
        for (let i = 0; i < 20; i++) {
          const [from, name] = i % 2 === 0 ? [dave, 'dave'] : [erin, 'erin'];
          const result = await from.sendMessage(cid, `${name} says ${i}`, `dm-${kind}-${i}`);
          expect(result.duplicate).toBe(false);
          sent.push(result.message.id);
        }

        for (const client of [dave, erin]) {
          await client.waitForCount('message.new', 20, (f) => f.cid === cid);
          await client.ping();
          const received = client.ofType('message.new').filter((f) => f.cid === cid);
          expect(received.map((f) => f.message.id)).toEqual(sent);
          expect(received.map((f) => f.message.text)).toEqual(
            sent.map((_, i) => `${i % 2 === 0 ? 'dave' : 'erin'} says ${i}`),
          );
          expectIncreasing(received.map((f) => f.seq));
        }
      } finally {
        await closeAll(dave, erin);
      }
    });

    it('shows both users the same order when they send at the same time', async () => {
      const cid: string = (await openDm('erin', ['alice', 'erin'])).body.channel.cid;
      const alice = await server.connect('alice');
      const erin = await server.connect('erin');
      try {
        await alice.watch(cid);
        await erin.watch(cid);

        // Neither waits for an answer before sending the next one.
        const sends = Array.from({ length: 10 }, (_, i) => [
          alice.sendMessage(cid, `alice ${i}`, `race-${kind}-a${i}`),
          erin.sendMessage(cid, `erin ${i}`, `race-${kind}-e${i}`),
        ]).flat();
        await Promise.all(sends);

        const seen = await Promise.all(
          [alice, erin].map(async (client) => {
            await client.waitForCount('message.new', 20, (f) => f.cid === cid);
            await client.ping();
            const received = client.ofType('message.new').filter((f) => f.cid === cid);
            // Live events arrive in seq order, as the history will show them.
            expectIncreasing(received.map((f) => f.seq));
            return received.map((f) => f.message.id as string);
          }),
        );
        expect(seen[0]).toHaveLength(20);
        expect(seen[1]).toEqual(seen[0]);
        // Each sender's own messages keep the order they were sent in.
        const ids = seen[0]!;
        expect(ids.filter((id) => /-a\d+$/.test(id))).toEqual(
          Array.from({ length: 10 }, (_, i) => `race-${kind}-a${i}`),
        );
        expect(ids.filter((id) => /-e\d+$/.test(id))).toEqual(
          Array.from({ length: 10 }, (_, i) => `race-${kind}-e${i}`),
        );
      } finally {
        await closeAll(alice, erin);
      }
    });
  });
}

function splitCid(cid: string): [string, string] {
  const at = cid.indexOf(':');
  return [cid.slice(0, at), cid.slice(at + 1)];
}

function expectIncreasing(seqs: number[]): void {
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
}

async function closeAll(...clients: TestClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}
