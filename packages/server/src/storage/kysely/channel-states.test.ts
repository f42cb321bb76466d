import { describe, expect, it } from 'vitest';
import { ChannelStates } from './channel-states.js';
import type { ChannelState } from './send-batch-reads.js';

const CID = 'messaging:c';

function state(lastSeq: number, fields: Partial<ChannelState> = {}): ChannelState {
  return {
    frozen: false,
    distinct: false,
    roles: new Map(),
    lastSeq,
    createdAt: 1,
    opener: 'alice',
    responded: true,
    ...fields,
  };
}

describe('ChannelStates', () => {
  it('gives each batch its own copy of a state read', () => {
    const known = new ChannelStates();
    known.read(CID, state(3), new Set(['alice']));
    const copy = known.get(CID)!;
    copy.state.lastSeq = 9;
    expect(known.get(CID)?.state.lastSeq).toBe(3);
    expect(known.get(CID)?.members.has('alice')).toBe(true);
  });

  it('keeps a later version over an earlier read', () => {
    const known = new ChannelStates();
    known.read(CID, state(5), new Set(['alice']));
    known.read(CID, state(4), new Set(['bob']));
    expect(known.get(CID)?.state.lastSeq).toBe(5);
    expect(known.get(CID)?.members.has('alice')).toBe(true);
  });

  it('moves a state forward by its own writes only from the version the batch used', () => {
    const known = new ChannelStates();
    known.read(CID, state(5), new Set());
    known.wrote(CID, 4, 6);
    expect(known.get(CID)?.state.lastSeq).toBe(5);
    known.wrote(CID, 5, 7);
    expect(known.get(CID)?.state.lastSeq).toBe(7);
  });

  it('follows the next events that change nothing of it, and drops it on any other', () => {
    const known = new ChannelStates();
    known.read(CID, state(5), new Set());
    known.saw(CID, 6, 'message.new', 'bob');
    known.saw(CID, 7, 'reaction.new', null);
    known.saw(CID, 7, 'reaction.new', null);
    expect(known.get(CID)?.state.lastSeq).toBe(7);
    known.saw(CID, 8, 'member.added', null);
    expect(known.get(CID)).toBeUndefined();

    known.read(CID, state(5), new Set());
    known.saw(CID, 7, 'message.new', 'bob');
    expect(known.get(CID)).toBeUndefined();
  });

  it('drops a state whose first-response statistics a message changes', () => {
    const known = new ChannelStates();
    known.read(CID, state(1, { opener: 'alice', responded: false }), new Set());
    known.saw(CID, 2, 'message.new', 'alice');
    expect(known.get(CID)?.state.lastSeq).toBe(2);
    known.saw(CID, 3, 'message.new', 'bob');
    expect(known.get(CID)).toBeUndefined();

    known.read(CID, state(0, { opener: null, responded: false }), new Set());
    known.saw(CID, 1, 'message.new', 'alice');
    expect(known.get(CID)).toBeUndefined();
  });

  it('forgets a state once it is older than the TTL, and the oldest past the bound', () => {
    const known = new ChannelStates({ ttlMs: 1_000, maxChannels: 2 });
    known.read('messaging:a', state(1), new Set(), 0);
    known.read('messaging:b', state(1), new Set(), 500);
    expect(known.get('messaging:a', 999)).toBeDefined();
    expect(known.get('messaging:a', 1_000)).toBeUndefined();
    known.read('messaging:c', state(1), new Set(), 600);
    known.read('messaging:d', state(1), new Set(), 700);
    expect(known.get('messaging:b', 800)).toBeUndefined();
    expect(known.get('messaging:c', 800)).toBeDefined();
    expect(known.get('messaging:d', 800)).toBeDefined();
  });
});
