/**
 * Items taking turns: they are spread over `slots` slots, the smallest taking each new one,
 * and each turn hands out the next slot's items, so a round of `slots` turns visits every
 * item once and each turn about `1 / slots` of them. The heartbeat pings a slot of
 * connections at each turn rather than all of them at once, which held the event loop
 * (and every message arriving meanwhile) for tens of milliseconds per thousand connections.
 */
export class Rota<T> {
  private readonly slotList: Set<T>[];
  private readonly slotOf = new Map<T, Set<T>>();
  private turn = 0;

  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots: ${slots}`);
    this.slotList = Array.from({ length: slots }, () => new Set<T>());
  }

  get slots(): number {
    return this.slotList.length;
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(item: T): void {
    if (this.slotOf.has(item)) return;
    let smallest = this.slotList[0]!;
    for (const slot of this.slotList) if (slot.size < smallest.size) smallest = slot;
    smallest.add(item);
    this.slotOf.set(item, smallest);
  }

  delete(item: T): void {
    this.slotOf.get(item)?.delete(item);
    this.slotOf.delete(item);
  }

  /** The items whose turn it is; deleting one of them while going through it is safe. */
  next(): ReadonlySet<T> {
    const slot = this.slotList[this.turn]!;
    this.turn = (this.turn + 1) % this.slotList.length;
    return slot;
  }
}
