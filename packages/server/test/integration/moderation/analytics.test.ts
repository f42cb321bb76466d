import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

/** The seeded history: [channel, author (null: a system message), time]. */
const SEED: [string, string | null, string][] = [
  ['a', 'ann', '2026-03-02T10:00:00Z'],
  ['a', 'ben', '2026-03-02T10:30:00Z'], // a's first response: 1800 s
  ['a', 'ann', '2026-03-02T11:00:00Z'],
  ['b', 'ben', '2026-03-03T09:00:00Z'],
  ['b', 'ben', '2026-03-03T09:05:00Z'], // the same author again: no response
  ['b', 'cat', '2026-03-03T09:10:00Z'], // b's first response: 600 s
  ['c', 'cat', '2026-03-04T08:00:00Z'],
  ['a', null, '2026-03-04T09:00:00Z'], // a system message counts for nothing
  ['c', 'dan', '2026-03-04T10:00:00Z'], // c's first response: 7200 s
  ['c', 'dan', '2026-03-09T12:00:00Z'],
  ['c', 'ann', '2026-03-09T12:01:00Z'],
];

const day = (d: string, messages: number, users: number, median: number | null) => ({
  start: d,
  end: d,
  messages,
  active_users: users,
  new_channels: 0,
  median_first_response_s: median,
});

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: analytics`, () => {
    let server: TestServer;
    const analytics = async (query: string) => server.api('GET', `/analytics?${query}`);

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('ann', 'ben', 'cat', 'dan', 'eve');
      for (const id of ['a', 'b', 'c']) {
        await server.createChannel('team', id, ['ann', 'ben', 'cat', 'dan', 'eve'], 'ann');
      }
      for (const [channel, author, at] of SEED) {
        const body =
          author === null
            ? { text: 'notice', type: 'system', created_at: at }
            : { text: `${author} at ${at}`, user_id: author, created_at: at };
        const res = await server.api('POST', `/channels/team/${channel}/messages`, { body });
        expect(res.status).toBe(201);
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    it('gives exact daily figures for a seeded history', async () => {
      const res = await analytics('from=2026-03-02&to=2026-03-09&granularity=day');
      expect(res.status).toBe(200);
      expect(res.body.buckets).toEqual([
        day('2026-03-02', 3, 2, 1800),
        day('2026-03-03', 3, 2, 600),
        day('2026-03-04', 2, 2, 7200),
        day('2026-03-05', 0, 0, null),
        day('2026-03-06', 0, 0, null),
        day('2026-03-07', 0, 0, null),
        day('2026-03-08', 0, 0, null),
        day('2026-03-09', 2, 2, null),
      ]);
      expect(res.body.totals).toEqual({
        messages: 10,
        active_users: 4,
        new_channels: 0,
        median_first_response_s: 1800,
      });
      expect(res.body.daily_active_users).toBe(2);
      expect(res.body.monthly_active_users).toBe(4);
      expect(res.body.busiest_channels).toEqual([
        { cid: 'team:c', messages: 4 },
        { cid: 'team:a', messages: 3 },
        { cid: 'team:b', messages: 3 },
      ]);
    });

    it('groups days into ISO weeks and calendar months, clipped to the range', async () => {
      const weeks = await analytics('from=2026-03-02&to=2026-03-09&granularity=week');
      expect(weeks.body.buckets).toEqual([
        {
          start: '2026-03-02',
          end: '2026-03-08',
          messages: 8,
          active_users: 4,
          new_channels: 0,
          median_first_response_s: 1800,
        },
        {
          start: '2026-03-09',
          end: '2026-03-09',
          messages: 2,
          active_users: 2,
          new_channels: 0,
          median_first_response_s: null,
        },
      ]);
      const months = await analytics('from=2026-02-20&to=2026-04-02&granularity=month');
      expect(months.body.buckets.map((b: any) => [b.start, b.end, b.messages])).toEqual([
        ['2026-02-20', '2026-02-28', 0],
        ['2026-03-01', '2026-03-31', 10],
        ['2026-04-01', '2026-04-02', 0],
      ]);
      // Even counts take the mean of the middle two: 600 and 1800 on 03-03..03-02 only.
      const two = await analytics('from=2026-03-02&to=2026-03-03');
      expect(two.body.totals.median_first_response_s).toBe(1200);
    });

    it('counts live sends and new channels as they happen', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const before = await analytics(`from=${today}&to=${today}`);
      expect(before.body.totals).toMatchObject({ messages: 0, new_channels: 3 });
      const eve = await server.tokenFor('eve');
      for (const text of ['one', 'two']) {
        const res = await server.api('POST', '/channels/team/a/messages', {
          token: eve,
          body: { text },
        });
        expect(res.status).toBe(201);
      }
      const after = await analytics(`from=${today}&to=${today}`);
      expect(after.body.totals).toEqual({
        messages: 2,
        active_users: 1,
        new_channels: 3,
        // a had its first response in March: today's figures have none.
        median_first_response_s: null,
      });
      expect(after.body.daily_active_users).toBe(1);
      expect(after.body.busiest_channels).toEqual([{ cid: 'team:a', messages: 2 }]);
    });

    it('refuses users, reversed or overlong ranges and days that are not days', async () => {
      expectError(
        await server.api('GET', '/analytics?from=2026-03-02&to=2026-03-09', {
          token: await server.tokenFor('ann'),
        }),
        'server_auth_required',
      );
      expectError(await analytics('from=2026-03-09&to=2026-03-02'), 'invalid_request');
      expectError(await analytics('from=2025-01-01&to=2026-03-02'), 'invalid_request');
      expectError(await analytics('from=2026-02-30&to=2026-03-02'), 'invalid_request');
      expectError(await analytics('from=yesterday&to=2026-03-02'), 'invalid_request');
      expectError(
        await analytics('from=2026-03-02&to=2026-03-09&granularity=year'),
        'invalid_request',
      );
    });
  });
}
