import { plainMessageFields } from '@parley/protocol/codes';
import type { ChannelEvent, GetMessagesResponse, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { withAck, withPage } from './channel-pages.js';
import {
  applyChannelEvent,
  emptyChannelModel,
  snapshotOf,
  withNewMessage,
  type ChannelModel,
} from './channel-state.js';

const AT = '2026-11-25T10:00:00.000Z';

const message = (seq: number, from = 'ben', id = `m${seq}`): Message => ({
  id,
  cid: 'team:x',
  seq,
  type: 'regular',
  user_id: from,
  user: null,
  text: `text ${seq}`,
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

const page = (messages: Message[], before: boolean, after: boolean): GetMessagesResponse => ({
  messages,
  has_more_before: before,
  has_more_after: after,
});

/** A watched channel holding messages `from`–`to` (the newest), with room for `capacity`. */
function holding(from: number, to: number, capacity: number): ChannelModel {
  const model = emptyChannelModel(capacity);
  model.window = model.window.add(range(from, to));
  return { ...model, lastSeq: to, hasMoreOlder: from > 1, watching: true };
}

const newMessage = (m: Message): ChannelEvent => ({
  type: 'message.new',
  cid: 'team:x',
  seq: m.seq,
  created_at: AT,
  message: m,
});

const seqs = (model: ChannelModel) => snapshotOf(model).messages.map((m) => m.seq);

describe('a channel window of at most `capacity` messages', () => {
  it('drops the oldest when new messages arrive at a full window, and says older ones exist', () => {
    let model = holding(1, 5, 5);
    expect(model.hasMoreOlder).toBe(false);
    for (const m of range(6, 8)) model = applyChannelEvent(model, newMessage(m), 'ann');
    expect(seqs(model)).toEqual([4, 5, 6, 7, 8]);
    expect(model.hasMoreOlder).toBe(true);
    expect(model.lastSeq).toBe(8);
    expect(model.unreadCount).toBe(3);
  });

  it('loads an older page before the oldest; past the capacity it drops the newest and stops adding new ones', () => {
    let model = holding(11, 15, 8);
    model = withPage(model, page(range(6, 10), true, true), { before: 'm11' }, []);
    expect(seqs(model)).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    expect([model.hasMoreOlder, model.hasMoreNewer]).toEqual([true, true]);
    // Not holding the newest: a new message waits to be loaded, but still counts as unread.
    model = applyChannelEvent(model, newMessage(message(16)), 'ann');
    expect(seqs(model)).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    expect([model.lastSeq, model.unreadCount]).toEqual([16, 1]);
  });

  it('ignores a page whose cursor message was dropped while it loaded: it would leave a hole', () => {
    let model = holding(11, 15, 5);
    const waiting = model;
    model = applyChannelEvent(model, newMessage(message(16)), 'ann'); // m11 dropped
    const late = withPage(model, page(range(6, 10), true, true), { before: 'm11' }, []);
    expect(late).toBe(model);
    expect(seqs(withPage(waiting, page(range(6, 10), true, true), { before: 'm11' }, []))).toEqual([
      6, 7, 8, 9, 10,
    ]);
  });

  it('gets back to the newest with newer pages, and adds what arrived meanwhile, in order, once', () => {
    let model = holding(1, 4, 6);
    model = { ...model, hasMoreNewer: true }; // scrolled far back: 5–9 exist, not loaded
    const arrived = [message(10), message(11)];
    for (const m of arrived) model = applyChannelEvent(model, newMessage(m), 'ann');
    expect(seqs(model)).toEqual([1, 2, 3, 4]);
    // The page was read on the server before 11 was stored; 10 is in it too.
    model = withPage(model, page(range(5, 10), true, false), { after: 'm4' }, arrived);
    expect(seqs(model)).toEqual([6, 7, 8, 9, 10, 11]);
    expect([model.hasMoreOlder, model.hasMoreNewer]).toEqual([true, false]);
    model = applyChannelEvent(model, newMessage(message(12)), 'ann');
    expect(seqs(model)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('jumps to the latest: the page replaces what was loaded, followed by what arrived meanwhile', () => {
    let model = { ...holding(1, 4, 50), hasMoreNewer: true };
    model = withPage(model, page(range(96, 100), true, false), {}, [message(100), message(101)]);
    expect(seqs(model)).toEqual([96, 97, 98, 99, 100, 101]);
    expect([model.hasMoreOlder, model.hasMoreNewer]).toEqual([true, false]);
  });

  it('keeps an acknowledged own message among the pending until its event comes, then shows it once', () => {
    let model = holding(1, 3, 10);
    model.window = model.window.withPendingMessage({
      ...message(0, 'ann', 'mine'),
      status: 'sending',
    });
    model = withAck(model, message(5, 'ann', 'mine'));
    expect(snapshotOf(model).messages.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'sent'],
      ['m2', 'sent'],
      ['m3', 'sent'],
      ['mine', 'sent'],
    ]);
    model = withNewMessage(model, message(4), 'ann'); // sent by ben just before
    model = withNewMessage(model, message(5, 'ann', 'mine'), 'ann');
    expect(snapshotOf(model).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'mine']);
    expect(snapshotOf(withAck(model, message(5, 'ann', 'mine'))).messages).toHaveLength(5);
  });

  it('drops the pending copy of an acknowledged message the window does not reach', () => {
    let model = { ...holding(1, 3, 10), hasMoreNewer: true };
    model.window = model.window.withPendingMessage({
      ...message(0, 'ann', 'mine'),
      status: 'sending',
    });
    model = withAck(model, message(40, 'ann', 'mine'));
    expect(snapshotOf(model).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });
});
