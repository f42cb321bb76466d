import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '@parley/protocol';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';

/** Per channel (`app` for app events), the seqs in the order the endpoint accepted them. */
function seqsByChannel(payloads: readonly WebhookPayload[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of payloads) (out[p.cid ?? 'app'] ??= []).push(p.seq);
  return out;
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: webhooks`, () => {
    let receiver: WebhookReceiver;
    let filtered: WebhookReceiver;
    let server: TestServer;
    let counter = 0;
    const fresh = (prefix: string) => `${prefix}${++counter}`;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start(TEST_SECRET);
      filtered = await WebhookReceiver.start(TEST_SECRET);
      server = await TestServer.start(kind, {
        webhookUrls: [`${receiver.url},${filtered.url}#message.new+member.*`],
        webhookRetryBaseMs: 40,
        webhookRetryMaxMs: 200,
        notificationPollMs: 25,
      });
      await server.createUsers('ana', 'ben');
    });
    afterAll(async () => {
      await server?.close();
      await receiver?.close();
      await filtered?.close();
    });
    afterEach(() => {
      receiver.mode = 'ok';
    });

    async function send(cid: string, text: string): Promise<void> {
      const [type, id] = cid.split(':');
      const res = await server.api('POST', `/channels/${type}/${id}/messages`, {
        body: { text, user_id: 'ana' },
      });
      expect(res.status).toBe(201);
    }

    it('delivers every committed channel event, signed, once, to each endpoint that wants it', async () => {
      const cid = await server.createChannel('team', fresh('w'), ['ana', 'ben']);
      await send(cid, 'hello');
      const [type, id] = cid.split(':');
      await server.api('POST', `/channels/${type}/${id}/read`, { body: { user_id: 'ben' } });
      await receiver.waitFor((r) => r.accepted.filter((p) => p.cid === cid).length === 2);
      const mine = receiver.accepted.filter((p) => p.cid === cid);
      expect(mine.map((p) => [p.type, p.seq])).toEqual([
        ['message.new', 1],
        ['message.read', 2],
      ]);
      expect(mine[0]!.event).toMatchObject({ type: 'message.new', message: { text: 'hello' } });
      const request = receiver.received.find((r) => r.payload?.id === mine[0]!.id)!;
      expect(request.headers['x-parley-event-id']).toBe(mine[0]!.id);
      expect(request.headers['content-type']).toBe('application/json');
      // The filtered endpoint takes message.new only, with the same event id.
      await filtered.waitFor((r) => r.accepted.some((p) => p.cid === cid));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(filtered.accepted.filter((p) => p.cid === cid).map((p) => [p.type, p.id])).toEqual([
        ['message.new', mine[0]!.id],
      ]);
      expect(receiver.received.every((r) => r.error === null)).toBe(true);
    });

    it('keeps what comes while an endpoint is down and delivers it afterwards, in order per channel, once per event id', async () => {
      // Down: connections refused; then up but failing (503) for a while.
      await receiver.goDown();
      const before = receiver.received.length;
      const cids = [
        await server.createChannel('team', fresh('down'), ['ana', 'ben']),
        await server.createChannel('team', fresh('down'), ['ana', 'ben']),
      ];
      for (let i = 1; i <= 5; i++) for (const cid of cids) await send(cid, `m${i}`);
      // Attempts fail; the deliveries wait, listed as pending with what went wrong.
      const pendingOf = async () =>
        (
          await server.api('GET', '/webhooks/deliveries?status=pending&limit=500')
        ).body.deliveries.filter((d: { cid: string }) => cids.includes(d.cid));
      const deadline = Date.now() + 10_000;
      while (!(await pendingOf()).some((d: { last_error: string | null }) => d.last_error)) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      receiver.mode = 'fail';
      await receiver.comeBack();
      await receiver.waitFor((r) => r.received.length - before >= 4);
      const ours = await pendingOf();
      expect(ours.length).toBeGreaterThanOrEqual(10);
      expect(
        ours.some(
          (d: { attempts: number; last_status: number }) =>
            d.attempts >= 1 && d.last_status === 503,
        ),
      ).toBe(true);

      receiver.mode = 'ok';
      await receiver.waitFor((r) =>
        cids.every((cid) => r.accepted.filter((p) => p.cid === cid).length === 5),
      );
      const accepted = receiver.accepted.filter((p) => p.cid !== null && cids.includes(p.cid));
      expect(seqsByChannel(accepted)).toEqual({
        [cids[0]!]: [1, 2, 3, 4, 5],
        [cids[1]!]: [1, 2, 3, 4, 5],
      });
      expect(new Set(accepted.map((p) => p.id)).size).toBe(10);
      expect(accepted.map((p) => (p.event as { message: { text: string } }).message.text)).toEqual(
        expect.arrayContaining(['m1', 'm5']),
      );
      // Refused attempts carried the same ids as the accepted ones: duplicates only with the same id.
      const refusedIds = receiver.received
        .slice(before)
        .filter((r) => r.answered === 503)
        .map((r) => r.payload!.id);
      expect(refusedIds.every((id) => accepted.some((p) => p.id === id))).toBe(true);
      // Within a channel, nothing later was even attempted before an earlier one was accepted.
      for (const cid of cids) {
        const attempts = receiver.received.slice(before).filter((r) => r.payload?.cid === cid);
        const seqs = attempts.map((r) => r.payload!.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    });

    it('adds, lists and deletes endpoints through the API, each signing with its own secret', async () => {
      const own = await WebhookReceiver.start('own-secret-of-this-endpoint');
      try {
        const created = await server.api('POST', '/webhooks', {
          body: { url: own.url, events: ['channel.*'], secret: 'own-secret-of-this-endpoint' },
        });
        expect(created.status).toBe(201);
        expect(created.body.webhook).toMatchObject({
          source: 'api',
          own_secret: true,
          events: ['channel.*'],
        });
        expect(JSON.stringify(created.body)).not.toContain('own-secret-of-this-endpoint');
        const cid = await server.createChannel('team', fresh('api'), ['ana']);
        const [type, id] = cid.split(':');
        await server.api('PATCH', `/channels/${type}/${id}`, { body: { set: { topic: 'x' } } });
        await own.waitFor((r) => r.accepted.some((p) => p.cid === cid));
        expect(own.received.every((r) => r.error === null)).toBe(true);
        expect(own.accepted.find((p) => p.cid === cid)!.type).toBe('channel.updated');

        const list = await server.api('GET', '/webhooks');
        expect(list.body.webhooks.map((w: { source: string }) => w.source).sort()).toEqual([
          'api',
          'config',
          'config',
        ]);
        const config = list.body.webhooks.find((w: { source: string }) => w.source === 'config');
        expect((await server.api('DELETE', `/webhooks/${config.id}`)).body.error.code).toBe(
          'forbidden',
        );
        expect((await server.api('DELETE', `/webhooks/${created.body.webhook.id}`)).status).toBe(
          200,
        );
        expect(
          (await server.api('DELETE', `/webhooks/${created.body.webhook.id}`)).body.error.code,
        ).toBe('webhook_not_found');
      } finally {
        await own.close();
      }
    });

    it('refuses webhook calls without the server token, and bad endpoints', async () => {
      const token = await server.tokenFor('ana');
      for (const [method, path] of [
        ['GET', '/webhooks'],
        ['POST', '/webhooks'],
        ['GET', '/webhooks/deliveries'],
      ] as const) {
        const res = await server.api(method, path, {
          token,
          body: method === 'POST' ? { url: 'http://x.example' } : undefined,
        });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('server_auth_required');
      }
      for (const body of [
        { url: 'ftp://x.example' },
        { url: 'http://x.example', events: ['Message New'] },
        { url: 'http://x.example', secret: 'short' },
      ]) {
        const res = await server.api('POST', '/webhooks', { body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
      const res = await server.api('POST', '/webhooks/deliveries/nope/redeliver');
      expect(res.body.error.code).toBe('delivery_not_found');
    });
  });

  describe(`${kind}: webhook dead letters`, () => {
    it('dead-letters a delivery whose retries ran out, shows it, and delivers it again on request', async () => {
      const receiver = await WebhookReceiver.start(TEST_SECRET);
      receiver.mode = 'fail';
      const server = await TestServer.start(kind, {
        webhookUrls: [receiver.url],
        webhookRetryBaseMs: 20,
        webhookRetryMaxMs: 50,
        webhookRetryForMs: 400,
        notificationPollMs: 25,
      });
      try {
        await server.createUsers('ana');
        await server.createChannel('team', 'dead', ['ana']);
        await server.api('POST', '/channels/team/dead/messages', {
          body: { text: 'lost?', user_id: 'ana' },
        });
        let failed: any[] = [];
        const deadline = Date.now() + 15_000;
        while (failed.length === 0 && Date.now() < deadline) {
          failed = (await server.api('GET', '/webhooks/deliveries?status=failed')).body.deliveries;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({
          cid: 'team:dead',
          seq: 1,
          type: 'message.new',
          status: 'failed',
          last_status: 503,
        });
        expect(failed[0].attempts).toBeGreaterThan(1);
        const metrics = await server.api('GET', '/metrics');
        expect(metrics.body).toMatch(/parley_webhook_deliveries\{status="failed"[^}]*\} 1/);
        expect(metrics.body).toMatch(/parley_webhook_deliveries_total\{result="failed"/);

        receiver.mode = 'ok';
        const again = await server.api('POST', `/webhooks/deliveries/${failed[0].id}/redeliver`);
        expect(again.status).toBe(200);
        expect(again.body.delivery.status).toBe('pending');
        await receiver.waitFor((r) => r.accepted.length === 1);
        expect(receiver.accepted[0]!.id).toBe(failed[0].event_id);
        const after = await server.api('GET', '/webhooks/deliveries?status=failed');
        expect(after.body.deliveries).toEqual([]);
      } finally {
        await server.close();
        await receiver.close();
      }
    });
  });
}
