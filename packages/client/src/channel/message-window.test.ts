import { plainMessageFields } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { LocalMessage } from './message-list.js';
import { MessageWindow } from './message-window.js';

const AT = '2026-11-25T10:00:00.000Z';

const message = (seq: number, id = `m${seq}`): Message => ({
  id,
  cid: 'team:x',
  seq,
  type: 'regular',
  user_id: 'ben',
  user: null,
  text: `text ${seq}`,
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

const pending = (id: string, status: LocalMessage['status'] = 'sending'): LocalMessage => ({
  ...message(0, id),
  user_id: 'ann',
  status,
});

const view = (window: MessageWindow) => window.toArray().map((m) => `${m.id}:${m.status}`);
const ids = (window: MessageWindow) => window.toArray().map((m) => m.id);

describe('MessageWindow', () => {
  it('holds stored messages in seq order, each id once, then the pending ones', () => {
    let window = MessageWindow.of([], [pending('p1')]).add(range(1, 3));
    window = window.add([message(2), message(5), message(4), message(3)]);
    expect(view(window)).toEqual([
      'm1:sent',
      'm2:sent',
      'm3:sent',
      'm4:sent',
      'm5:sent',
      'p1:sending',
    ]);
    expect(window.size).toBe(5);
    expect([window.oldest?.id, window.newest?.id]).toEqual(['m1', 'm5']);
  });

  it('never changes a window it made another from, whichever of them changes next', () => {
    const base = MessageWindow.of().add(range(1, 3));
    const a = base.add([message(4)]);
    const b = base.add([message(5, 'other')]); // from the older window: must not see m4
    const c = a.keepNewest(2).add([message(6)]);
    expect(ids(base)).toEqual(['m1', 'm2', 'm3']);
    expect(ids(a)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(ids(b)).toEqual(['m1', 'm2', 'm3', 'other']);
    expect(ids(c)).toEqual(['m3', 'm4', 'm6']);
    expect(a.get('m4')?.seq).toBe(4);
    expect(b.get('m4')).toBeUndefined();
    expect(base.get('m4')).toBeUndefined();
    expect(c.get('m1')).toBeUndefined();
    expect(a.get('m1')?.seq).toBe(1);
  });

  it('keeps its content when the oldest are dropped many times over (the backing is compacted)', () => {
    const kept: MessageWindow[] = [];
    let window = MessageWindow.of();
    for (let seq = 1; seq <= 5_000; seq++) {
      window = window.add([message(seq)]).keepNewest(100);
      if (seq % 1_000 === 0) kept.push(window);
    }
    expect(window.size).toBe(100);
    expect(window.toArray().map((m) => m.seq)).toEqual(range(4_901, 5_000).map((m) => m.seq));
    // Earlier windows are still whole and still answer lookups by id.
    for (const [i, old] of kept.entries()) {
      const last = (i + 1) * 1_000;
      expect([old.oldest?.seq, old.newest?.seq, old.size]).toEqual([last - 99, last, 100]);
      expect(old.get(`m${last - 50}`)?.seq).toBe(last - 50);
    }
  });

  it('drops the newest with keepOldest, and later appends do not show in the older window', () => {
    const all = MessageWindow.of().add(range(1, 10));
    const oldest = all.keepOldest(4);
    const grown = all.add([message(11)]);
    expect(ids(oldest)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(oldest.get('m5')).toBeUndefined();
    expect(grown.size).toBe(11);
    expect(ids(oldest.add([message(5)]))).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('replaces a pending copy with the stored message of the same id, keeping the others last', () => {
    let window = MessageWindow.of([], [pending('p1'), pending('p2')]).add(range(1, 2));
    window = window.add([message(3, 'p1')]);
    expect(view(window)).toEqual(['m1:sent', 'm2:sent', 'p1:sent', 'p2:sending']);
    expect(window.withPendingMessage(pending('p1')).toArray()).toEqual(window.toArray());
  });

  it('applies acknowledged pending messages before a newer stored one, in seq order', () => {
    let window = MessageWindow.of().add(range(1, 2));
    window = window.withPendingMessage({ ...message(4, 'mine-b'), status: 'sent' });
    window = window.withPendingMessage({ ...message(3, 'mine-a'), status: 'sent' });
    window = window.withPendingMessage(pending('p3'));
    expect(window.size).toBe(2);
    window = window.add([message(5)]);
    expect(view(window)).toEqual([
      'm1:sent',
      'm2:sent',
      'mine-a:sent',
      'mine-b:sent',
      'm5:sent',
      'p3:sending',
    ]);
  });

  it('counts from the newest, and makes its array once', () => {
    const window = MessageWindow.of().add(range(1, 6));
    expect(window.countNewer(3, () => true)).toBe(3);
    expect(window.countNewer(3, (m) => m.seq % 2 === 0)).toBe(2);
    expect(window.toArray()).toBe(window.toArray());
  });
});
