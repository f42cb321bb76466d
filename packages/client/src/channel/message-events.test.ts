import { plainMessageFields } from '@parley/protocol/codes';
import type { ChannelEvent, Message, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  applyChannelEvent,
  applyNotification,
  emptyChannelModel,
  withNewMessage,
  type ChannelModel,
} from './channel-state.js';

const CID = 'messaging:general';
const AT = '2026-11-25T10:00:00.000Z';
const LATER = '2026-11-25T10:05:00.000Z';
const user = (id: string) => ({ id, name: id }) as User;

const message = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  cid: CID,
  seq,
  type: 'regular',
  user_id: 'ben',
  user: user('ben'),
  text: `text ${seq}`,
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
  ...extra,
});

const event = (m: Message, extra: Partial<ChannelEvent> = {}): ChannelEvent =>
  ({
    type: 'message.new',
    cid: CID,
    seq: m.seq,
    created_at: AT,
    message: m,
    ...extra,
  }) as ChannelEvent;

/** A watched channel holding `messages`, nothing read by ann. */
function holding(...messages: Message[]): ChannelModel {
  const empty: ChannelModel = { ...emptyChannelModel(), watching: true };
  return messages.reduce((s: ChannelModel, m) => withNewMessage(s, m, 'ann'), empty);
}

const apply = (model: ChannelModel, ...events: ChannelEvent[]) =>
  events.reduce((s, e) => applyChannelEvent(s, e, 'ann'), model);

describe('message events in channel state', () => {
  it('keeps replies kept in their thread out of the list, and moves the parent’s reply count', () => {
    const reply = message(2, { parent_id: 'm1' });
    const thread = { parent_id: 'm1', reply_count: 1, thread_participants: ['ben'] };
    const state = apply(holding(message(1)), event(reply, { thread }));
    expect(state.window.toArray().map((m) => m.id)).toEqual(['m1']);
    expect(state.window.get('m1')).toMatchObject({ reply_count: 1 });
    expect(state).toMatchObject({ lastSeq: 2, unreadCount: 1 });
    const shared = message(3, { parent_id: 'm1', show_in_channel: true });
    expect(
      apply(state, event(shared))
        .window.toArray()
        .map((m) => m.id),
    ).toEqual(['m1', 'm3']);
  });

  it('counts unread mentions of the user, and a delete takes one back', () => {
    const mention = message(2, { mentioned_users: [user('ann')] });
    let state = apply(holding(message(1)), event(mention));
    expect(state).toMatchObject({ unreadCount: 2, unreadMentions: 1 });
    state = apply(state, {
      type: 'message.deleted',
      cid: CID,
      seq: 3,
      created_at: AT,
      hard: false,
      message: { ...mention, text: '', mentioned_users: [], deleted_at: LATER, seq: 2 },
    });
    expect(state).toMatchObject({ unreadCount: 1, unreadMentions: 0, lastSeq: 3 });
  });

  it('shows an edit in the message and in the quotes of it; a hard delete empties the quotes', () => {
    const quote = message(2, {
      quoted_message_id: 'm1',
      quoted_message: { ...message(1), deleted_at: null },
    });
    const edited = { ...message(1), text: 'fixed', edited_at: LATER, updated_at: LATER };
    let state = apply(holding(message(1), quote), {
      type: 'message.updated',
      cid: CID,
      seq: 3,
      created_at: LATER,
      message: edited,
    });
    expect(state.window.get('m1')).toMatchObject({ text: 'fixed', edited_at: LATER });
    expect(state.window.get('m2')!.quoted_message).toMatchObject({ text: 'fixed' });
    state = apply(state, {
      type: 'message.deleted',
      cid: CID,
      seq: 4,
      created_at: LATER,
      hard: true,
      message: { ...edited, text: '', deleted_at: LATER },
    });
    expect(state.window.toArray().map((m) => m.id)).toEqual(['m2']);
    expect(state.window.get('m2')!.quoted_message).toBeNull();
  });

  it('takes mention counts from notifications, and clears them when nothing is unread', () => {
    const channel = { cid: CID } as never;
    let state = applyNotification(
      holding(),
      {
        type: 'notification.mention',
        cid: CID,
        created_at: AT,
        channel,
        message: message(1, { parent_id: 'm0' }),
        unread_mentions: 2,
        total_unread_mentions: 5,
      },
      'ann',
    );
    expect(state.unreadMentions).toBe(2);
    // A reply kept in its thread is not added to the list by its notification.
    state = applyNotification(
      state,
      {
        type: 'notification.message_new',
        cid: CID,
        created_at: AT,
        channel,
        message: message(1, { parent_id: 'm0' }),
        unread_count: 3,
        total_unread_count: 3,
        unread_channels: 1,
      },
      'ann',
    );
    expect(state.window.size).toBe(0);
    state = applyNotification(
      state,
      {
        type: 'notification.mark_read',
        cid: CID,
        created_at: AT,
        last_read_message_id: 'm1',
        last_read_seq: 1,
        unread_count: 0,
        total_unread_count: 0,
        unread_channels: 0,
      },
      'ann',
    );
    expect(state).toMatchObject({ unreadCount: 0, unreadMentions: 0 });
  });
});
