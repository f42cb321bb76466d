import { plainMessageFields } from '@parley/protocol/codes';
import type { Message, Reaction } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { withReactionEvent } from './message-events.js';
import type { LocalMessage } from './message-list.js';
import { applyOp, type MessageOp } from './message-ops.js';
import { PendingOps } from './pending-ops.js';

const AT = '2026-11-25T10:00:00.000Z';
const LATER = '2026-11-25T10:05:00.000Z';

const message = (extra: Partial<Message> = {}): LocalMessage => ({
  id: 'm1',
  cid: 'messaging:general',
  seq: 1,
  type: 'regular',
  user_id: 'ann',
  user: null,
  text: 'hello',
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
  ...extra,
  status: 'sent',
});

const reaction = (type: string, user = 'ann'): Reaction => ({
  message_id: 'm1',
  user_id: user,
  user: null,
  type,
  score: 1,
  created_at: AT,
  updated_at: AT,
});

const react = (type: string, enforceUnique = false): MessageOp => ({
  kind: 'react',
  reaction: reaction(type),
  enforceUnique,
});

/** The event of a reaction, with the message's counts after it. */
const reactionEvent = (
  type: 'reaction.new' | 'reaction.deleted',
  r: Reaction,
  counts: Record<string, number>,
  seq: number,
) => ({
  type,
  cid: 'messaging:general',
  seq,
  created_at: AT,
  message_id: 'm1',
  reaction: r,
  reaction_counts: counts,
});

describe('applyOp', () => {
  it('adds the user’s reaction once, and enforceUnique takes their others away', () => {
    const once = applyOp(message(), react('like'));
    expect(applyOp(once, react('like'))).toBe(once);
    expect(once).toMatchObject({ reaction_counts: { like: 1 } });
    const vote = applyOp(applyOp(once, react('heart')), react('wow', true));
    expect(vote.reaction_counts).toEqual({ wow: 1 });
    expect(vote.own_reactions.map((r) => r.type)).toEqual(['wow']);
    expect(vote.latest_reactions.map((r) => r.type)).toEqual(['wow']);
  });

  it('takes a reaction back, keeping others’ counts', () => {
    const held = message({
      reaction_counts: { like: 2 },
      own_reactions: [reaction('like')],
      latest_reactions: [reaction('like'), reaction('like', 'ben')],
    });
    const back = applyOp(held, { kind: 'unreact', type: 'like', userId: 'ann' });
    expect(back.reaction_counts).toEqual({ like: 1 });
    expect(back.latest_reactions.map((r) => r.user_id)).toEqual(['ben']);
    expect(applyOp(back, { kind: 'unreact', type: 'like', userId: 'ann' })).toBe(back);
  });

  it('edits mark the message edited; deletes leave a tombstone', () => {
    expect(applyOp(message(), { kind: 'edit', text: 'hi', at: LATER })).toMatchObject({
      text: 'hi',
      edited_at: LATER,
    });
    const tomb = applyOp(message({ reaction_counts: { like: 1 }, pinned: true }), {
      kind: 'delete',
      at: LATER,
    });
    expect(tomb).toMatchObject({ text: '', deleted_at: LATER, reaction_counts: {}, pinned: false });
  });
});

describe('PendingOps', () => {
  it('keeps a pending reaction counted while someone else’s event replaces the counts', () => {
    const ops = new PendingOps();
    const shown = ops.add(message(), react('like'), 'a1');
    expect(shown.reaction_counts).toEqual({ like: 1 });
    // Ben's reaction, committed before ann's: its counts do not include hers.
    const ben = reactionEvent('reaction.new', reaction('like', 'ben'), { like: 1 }, 2);
    const after = ops.rebase('m1', (m) => withReactionEvent(m, ben, 'ann'))!;
    expect(after.reaction_counts).toEqual({ like: 2 });
    expect(after.own_reactions.map((r) => r.user_id)).toEqual(['ann']);
    // The answer alone does not settle it while events are coming …
    ops.acked('a1', message({ reaction_counts: { like: 2 } }), true);
    expect(ops.has('m1')).toBe(true);
    // … her own event does, counted once.
    const hers = reactionEvent('reaction.new', reaction('like'), { like: 2 }, 3);
    const settled = ops.rebase('m1', (m) => withReactionEvent(m, hers, 'ann'))!;
    expect(settled.reaction_counts).toEqual({ like: 2 });
    expect(ops.has('m1')).toBe(false);
  });

  it('rolls a refused change back to the server’s state, keeping the other pending ones', () => {
    const ops = new PendingOps();
    ops.add(message(), { kind: 'edit', text: 'mine', at: LATER }, 'e1');
    const both = ops.add(message(), react('like'), 'r1');
    expect(both).toMatchObject({ text: 'mine', reaction_counts: { like: 1 } });
    const [rolled] = ops.refused('e1');
    expect(rolled).toMatchObject({ text: 'hello', edited_at: null, reaction_counts: { like: 1 } });
    const [base] = ops.refused('r1');
    expect(base).toEqual(message());
    expect(ops.has('m1')).toBe(false);
  });

  it('settles an edit when an event at least as new as the answer arrives, whichever comes first', () => {
    const ops = new PendingOps();
    const server = message({ text: 'new', edited_at: LATER, updated_at: LATER });
    // Event first, then the answer.
    ops.add(message(), { kind: 'edit', text: 'new', at: LATER }, 'e1');
    expect(ops.rebase('m1', () => server)).toMatchObject({ text: 'new' });
    expect(ops.has('m1')).toBe(true);
    expect(ops.acked('e1', server, true)).toEqual(server);
    expect(ops.has('m1')).toBe(false);
    // Answer first, then the event.
    ops.add(message(), { kind: 'edit', text: 'new', at: LATER }, 'e2');
    expect(ops.acked('e2', server, true)).toMatchObject({ text: 'new' });
    expect(ops.has('m1')).toBe(true);
    ops.rebase('m1', () => server);
    expect(ops.has('m1')).toBe(false);
  });

  it('takes the answer as the server’s state when no events come (channel not watched)', () => {
    const ops = new PendingOps();
    ops.add(message(), react('like'), 'r1');
    const answer = message({ reaction_counts: { like: 3 }, own_reactions: [reaction('like')] });
    expect(ops.acked('r1', answer, false)).toEqual(answer);
    expect(ops.has('m1')).toBe(false);
  });

  it('a later change the server shows settles the earlier ones sent before it', () => {
    const ops = new PendingOps();
    ops.add(message(), react('like'), 'r1');
    ops.add(message(), { kind: 'unreact', type: 'like', userId: 'ann' }, 'r2');
    // Both events came before the answers: the base has no reaction.
    expect(ops.acked('r1', message(), true)).toMatchObject({ reaction_counts: {} });
    expect(ops.has('m1')).toBe(true); // the add alone is not shown done
    // The removal is, and it settles the add before it: nothing re-adds the reaction.
    expect(ops.acked('r2', message(), true)).toEqual(message());
    expect(ops.has('m1')).toBe(false);
  });

  it('forgets a message deleted for good', () => {
    const ops = new PendingOps();
    ops.add(message(), react('like'), 'r1');
    expect(ops.rebase('m1', () => null)).toBeNull();
    expect(ops.refused('r1')).toEqual([]);
  });
});
