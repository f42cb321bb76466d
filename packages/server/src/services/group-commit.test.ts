import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A commit function that records its batches and finishes each when told to. */
function recorder() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const commit = (items: number[]) => {
    batches.push(items);
    return new Promise<PromiseSettledResult<string>[]>((resolve) => {
      finish.push(() =>
        resolve(
          items.map((n): PromiseSettledResult<string> =>
            n < 0
              ? { status: 'rejected', reason: new Error(`bad ${n}`) }
              : { status: 'fulfilled', value: `stored ${n}` },
          ),
        ),
      );
    });
  };
  return { batches, finish, commit };
}

/** Lets the queue reach its next commit (it commits after the current turn's I/O). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits the items submitted in one turn as one batch and answers each its own result', async () => {
    const { batches, finish, commit } = recorder();
    const queue = new GroupCommit(commit, 100);
    const answers = [1, 2, 3].map((n) => queue.submit(n));
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3]]);
    finish[0]!();
    expect(await Promise.all(answers)).toEqual(['stored 1', 'stored 2', 'stored 3']);
  });

  it('gathers what arrives during a commit into the next batch, and not before it is done', async () => {
    const { batches, finish, commit } = recorder();
    const queue = new GroupCommit(commit, 100);
    const first = queue.submit(1);
    await nextTurn();
    const later = [2, 3, 4].map((n) => queue.submit(n));
    await nextTurn();
    // One batch at a time: 2, 3 and 4 wait for the first to be committed.
    expect(batches).toEqual([[1]]);
    finish[0]!();
    expect(await first).toBe('stored 1');
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]!();
    expect(await Promise.all(later)).toEqual(['stored 2', 'stored 3', 'stored 4']);
  });

  it('splits a backlog into batches of at most maxBatch, in order', async () => {
    const { batches, finish, commit } = recorder();
    const queue = new GroupCommit(commit, 2);
    const answers = [1, 2, 3, 4, 5].map((n) => queue.submit(n));
    for (let i = 0; i < 3; i++) {
      while (finish[i] === undefined) await nextTurn();
      finish[i]!();
    }
    expect(await Promise.all(answers)).toHaveLength(5);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the item whose result is a rejection', async () => {
    const { finish, commit } = recorder();
    const queue = new GroupCommit(commit, 100);
    const answers = Promise.allSettled([1, -2, 3].map((n) => queue.submit(n)));
    await nextTurn();
    finish[0]!();
    expect((await answers).map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails every item of a batch whose commit throws, and still commits the next batch', async () => {
    let calls = 0;
    const queue = new GroupCommit<number, number>((items) => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('database gone'));
      return Promise.resolve(items.map((n) => ({ status: 'fulfilled' as const, value: n })));
    }, 100);
    const failed = Promise.allSettled([1, 2].map((n) => queue.submit(n)));
    expect((await failed).map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(await queue.submit(3)).toBe(3);
  });

  it('with depth 2, starts the next batch during a commit and still answers in batch order', async () => {
    const { batches, finish, commit } = recorder();
    const queue = new GroupCommit(commit, 100, 2);
    const answered: string[] = [];
    const first = queue.submit(1).then((a) => answered.push(a));
    await nextTurn();
    const second = [2, 3].map((n) => queue.submit(n).then((a) => answered.push(a)));
    await nextTurn();
    const third = queue.submit(4).then((a) => answered.push(a));
    await nextTurn();
    // Two batches at once; the third waits for a free place.
    expect(batches).toEqual([[1], [2, 3]]);
    // The second is committed first, but answered only after the first.
    finish[1]!();
    await nextTurn();
    expect(answered).toEqual([]);
    finish[0]!();
    await Promise.all([first, ...second]);
    expect(answered).toEqual(['stored 1', 'stored 2', 'stored 3']);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    finish[2]!();
    await third;
    expect(answered).toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4']);
  });

  it('with depth 2, answers a failed batch in its place and goes on with the next', async () => {
    const queue = new GroupCommit<number, string>(
      async (items) => {
        if (items.includes(1)) throw new Error('database gone');
        return items.map((n) => ({ status: 'fulfilled', value: `stored ${n}` }));
      },
      100,
      2,
    );
    const order: string[] = [];
    const first = queue.submit(1).then(
      () => order.push('1 stored'),
      (e: Error) => order.push(`1 ${e.message}`),
    );
    await nextTurn();
    const second = queue.submit(2).then((a) => order.push(a));
    await Promise.all([first, second]);
    expect(order).toEqual(['1 database gone', 'stored 2']);
  });
});
