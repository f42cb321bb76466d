import { plainMessageFields } from '@parley/protocol/codes';
import type { ChannelEvent, ChannelState, Message, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  applyChannelEvent,
  emptyChannelState,
  fromServerState,
  seqPosition,
  snapshotOf,
  type ChannelModel,
} from './channel-state.js';
import type { LocalMessage } from './message-list.js';

const CID = 'messaging:general';
const AT = '2026-11-25T10:00:00.000Z';

const user = (id: string, online = false): User => ({
  id,
  name: id,
  image: null,
  role: 'user',
  data: {},
  created_at: AT,
  updated_at: AT,
  last_active: null,
  online,
});

const message = (seq: number, from = 'ben', id = `m${seq}`): Message => ({
  id,
  cid: CID,
  seq,
  type: 'regular',
  user_id: from,
  user: user(from),
  text: `text ${seq}`,
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
});

const newMessage = (m: Message): ChannelEvent => ({
  type: 'message.new',
  cid: CID,
  seq: m.seq,
  created_at: AT,
  message: m,
});

const pending = (id: string): LocalMessage => ({
  ...message(0, 'ann', id),
  status: 'sending',
});

/** A channel state as a watch returns it: ann and ben, messages 1–3, last_seq 3. */
function watched(): ChannelModel {
  const server: ChannelState = {
    channel: {
      cid: CID,
      type: 'messaging',
      id: 'general',
      data: {},
      distinct: false,
      created_by_id: 'ann',
      created_at: AT,
      updated_at: AT,
      last_message_at: AT,
      member_count: 2,
      last_seq: 3,
    },
    members: ['ann', 'ben'].map((id) => ({
      user_id: id,
      user: user(id, id === 'ben'),
      role: 'member' as const,
      created_at: AT,
    })),
    messages: [message(1), message(2), message(3)],
    has_more_messages: false,
    read: ['ann', 'ben'].map((id) => ({
      user_id: id,
      last_read_message_id: null,
      last_read_seq: 0,
      last_read_at: null,
    })),
    membership: null,
    unread_mentions: 0,
    unread_count: 3,
  };
  return fromServerState(server, [], true, 500);
}

/** The snapshot after `events`. */
const apply = (model: ChannelModel, ...events: ChannelEvent[]) =>
  snapshotOf(applyModel(model, ...events));
const applyModel = (model: ChannelModel, ...events: ChannelEvent[]) =>
  events.reduce((s, e) => applyChannelEvent(s, e, 'ann'), model);

describe('channel state', () => {
  it('fills from a watch result: messages by seq, members, read positions, online, unread', () => {
    const state = snapshotOf(watched());
    expect(state.messages.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'sent'],
      ['m2', 'sent'],
      ['m3', 'sent'],
    ]);
    expect(Object.keys(state.members)).toEqual(['ann', 'ben']);
    expect(state.online).toEqual(['ben']);
    expect(state).toMatchObject({ lastSeq: 3, unreadCount: 3, watching: true });
  });

  it('applies events in order: each message once, lastSeq follows, others’ messages count as unread', () => {
    const state = apply(watched(), newMessage(message(4)), newMessage(message(5, 'ann')));
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(state.lastSeq).toBe(5);
    // ann's own message moved her read position: nothing is unread for her.
    expect(state.unreadCount).toBe(0);
    expect(state.read['ann']).toMatchObject({ last_read_seq: 5, last_read_message_id: 'm5' });
    expect(apply(watched(), newMessage(message(4))).unreadCount).toBe(4);
  });

  it('classifies seqs: the next one is applied, an old one is a duplicate, a jump is a gap', () => {
    expect(seqPosition(3, 4)).toBe('next');
    expect(seqPosition(3, 3)).toBe('duplicate');
    expect(seqPosition(3, 1)).toBe('duplicate');
    expect(seqPosition(3, 5)).toBe('gap');
    expect(seqPosition(0, 1)).toBe('next');
  });

  it('shows a message delivered twice once (the same id is replaced, not added)', () => {
    const once = applyModel(watched(), newMessage(message(4)));
    const twice = apply(once, newMessage(message(4)));
    expect(twice.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(twice.unreadCount).toBe(once.unreadCount);
  });

  it('replaces an optimistic message with the echo that has the same id, keeping other pending ones last', () => {
    const model = watched();
    model.window = model.window.withPendingMessage(pending('mine-1'));
    model.window = model.window.withPendingMessage(pending('mine-2'));
    expect(model.window.toArray().map((m) => [m.id, m.status])).toEqual([
      ['m1', 'sent'],
      ['m2', 'sent'],
      ['m3', 'sent'],
      ['mine-1', 'sending'],
      ['mine-2', 'sending'],
    ]);
    const state = apply(model, newMessage(message(4, 'ann', 'mine-1')));
    expect(state.messages.map((m) => [m.id, m.seq, m.status])).toEqual([
      ['m1', 1, 'sent'],
      ['m2', 2, 'sent'],
      ['m3', 3, 'sent'],
      ['mine-1', 4, 'sent'],
      ['mine-2', 0, 'sending'],
    ]);
  });

  it('moves read positions forward only, and a read by the current user clears what it covers', () => {
    const read = (userId: string, seq: number): ChannelEvent => ({
      type: 'message.read',
      cid: CID,
      seq: 10 + seq,
      created_at: AT,
      user_id: userId,
      last_read_message_id: `m${seq}`,
      last_read_seq: seq,
    });
    let model = applyModel(watched(), read('ben', 3), read('ben', 2));
    expect(model.read['ben']?.last_read_seq).toBe(3);
    model = applyModel(model, read('ann', 2));
    expect(model.unreadCount).toBe(1); // m3 is still unread
  });

  it('follows members added and removed, and stops watching when the current user is removed', () => {
    let state = applyModel(watched(), {
      type: 'member.added',
      cid: CID,
      seq: 4,
      created_at: AT,
      member: { user_id: 'cat', user: user('cat', true), role: 'member', created_at: AT },
    });
    expect(Object.keys(state.members)).toEqual(['ann', 'ben', 'cat']);
    expect(state.online).toEqual(['ben', 'cat']);
    state = applyModel(state, {
      type: 'member.removed',
      cid: CID,
      seq: 5,
      created_at: AT,
      user_id: 'ben',
    });
    expect(Object.keys(state.members)).toEqual(['ann', 'cat']);
    expect(state.read['ben']).toBeUndefined();
    expect(state.watching).toBe(true);
    state = applyModel(state, {
      type: 'member.removed',
      cid: CID,
      seq: 6,
      created_at: AT,
      user_id: 'ann',
    });
    expect(state.watching).toBe(false);
  });

  it('never changes a state in place: every change is a new object', () => {
    const model = watched();
    const before = snapshotOf(model);
    const copy = structuredClone({ ...before, messages: before.messages });
    const after = apply(model, newMessage(message(4)));
    expect(after).not.toBe(before);
    expect(after.messages).not.toBe(before.messages);
    expect(after.messages).toBe(after.messages); // made once per snapshot
    expect({ ...before, messages: before.messages }).toEqual(copy);
    expect(JSON.parse(JSON.stringify({ ...before, messages: before.messages }))).toEqual(copy);
    expect(emptyChannelState()).not.toBe(emptyChannelState());
  });
});
