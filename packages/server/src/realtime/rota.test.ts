import { describe, expect, it } from 'vitest';
import { Rota } from './rota.js';

/** Every item handed out over `turns` turns, in order. */
function visits(rota: Rota<number>, turns: number): number[][] {
  return Array.from({ length: turns }, () => [...rota.next()]);
}

describe('Rota', () => {
  it('visits every item once a round, a slot of them each turn', () => {
    const rota = new Rota<number>(4);
    for (let i = 0; i < 10; i += 1) rota.add(i);
    const round = visits(rota, 4);
    expect(round.map((turn) => turn.length)).toEqual([3, 3, 2, 2]);
    expect(round.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(visits(rota, 4)).toEqual(round);
  });

  it('forgets deleted items, and fills the emptiest slot first', () => {
    const rota = new Rota<number>(3);
    for (let i = 0; i < 6; i += 1) rota.add(i);
    rota.delete(0);
    rota.delete(3);
    rota.delete(42);
    expect(rota.size).toBe(4);
    rota.add(6);
    rota.add(6);
    const round = visits(rota, 3);
    expect(round.map((turn) => turn.length)).toEqual([1, 2, 2]);
    expect(round.flat().sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6]);
  });

  it('lets an item be deleted while its slot is being gone through', () => {
    const rota = new Rota<number>(1);
    for (let i = 0; i < 5; i += 1) rota.add(i);
    const seen: number[] = [];
    for (const item of rota.next()) {
      seen.push(item);
      if (item % 2 === 0) rota.delete(item);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect([...rota.next()]).toEqual([1, 3]);
  });

  it('needs at least one slot', () => {
    expect(() => new Rota(0)).toThrow(RangeError);
  });
});
