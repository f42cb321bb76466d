import type { ChannelEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { EventSequencer } from './event-sequencer.js';

/** A stored event with this seq (its content does not matter to the sequencer). */
const event = (seq: number) => ({ type: 'message.read', seq }) as unknown as ChannelEvent;

/** A sequencer over a log of `logSize` events, recording what it applies and fetches. */
function setup(logSize: number, pageSize = 500) {
  const applied: [number, boolean][] = [];
  const fetched: number[] = [];
  const log = Array.from({ length: logSize }, (_, i) => event(i + 1));
  const sequencer = new EventSequencer({
    fetch: async (since) => {
      fetched.push(since);
      const events = log.filter((e) => e.seq > since).slice(0, pageSize);
      return { events, has_more: log.filter((e) => e.seq > since).length > pageSize };
    },
    apply: (e, live) => applied.push([e.seq, live]),
    failed: () => {},
  });
  return { sequencer, applied, fetched, log };
}

describe('EventSequencer', () => {
  it('applies live events in order and drops the ones already applied', () => {
    const { sequencer, applied, fetched } = setup(3);
    sequencer.push(event(1));
    sequencer.push(event(2));
    sequencer.push(event(2));
    sequencer.push(event(1));
    sequencer.push(event(3));
    expect(applied).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(fetched).toEqual([]);
  });

  it('on a gap fetches the missing range first, then applies the held events, each once', async () => {
    const { sequencer, applied, fetched } = setup(6);
    sequencer.push(event(1));
    sequencer.push(event(4)); // 2 and 3 were lost on the way
    sequencer.push(event(5)); // arrives while fetching: held
    await sequencer.sync(false);
    expect(fetched).toEqual([1]);
    // The fetch brought 2–6; the live copies of 4 and 5 are duplicates by then.
    expect(applied.map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6]);
    sequencer.push(event(6));
    expect(applied).toHaveLength(6);
  });

  it('after a reconnect pages through the log while has_more, from the last seq applied', async () => {
    const { sequencer, applied, fetched } = setup(1_250);
    sequencer.lastSeq = 10;
    await sequencer.sync(true);
    expect(fetched).toEqual([10, 510, 1_010]);
    expect(applied).toHaveLength(1_240);
    expect(applied.every(([seq, live], i) => seq === 11 + i && !live)).toBe(true);
  });

  it('holds live events while a watch is in flight and applies those after the watch’s last seq', async () => {
    const { sequencer, applied, fetched } = setup(9);
    sequencer.hold();
    sequencer.push(event(8));
    sequencer.push(event(7));
    sequencer.lastSeq = 7; // the watch result said 7
    const synced = sequencer.sync(false);
    sequencer.unhold();
    await synced;
    expect(fetched).toEqual([]);
    expect(applied).toEqual([[8, true]]);
  });

  it('keeps held events after a failed fetch and applies them at the next sync', async () => {
    let fail = true;
    const applied: number[] = [];
    const sequencer = new EventSequencer({
      fetch: async (since) => {
        if (fail) throw new Error('offline');
        return { events: [event(since + 1)], has_more: false };
      },
      apply: (e) => applied.push(e.seq),
      failed: () => {},
    });
    sequencer.push(event(2));
    await expect(sequencer.sync(false)).rejects.toThrow('offline');
    fail = false;
    await sequencer.sync(true);
    expect(applied).toEqual([1, 2]);
  });
});
