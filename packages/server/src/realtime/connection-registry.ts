import type { Connection } from './connection.js';

/** This node's connections, indexed by user and by watched channel. */
export class ConnectionRegistry {
  private readonly byId = new Map<string, Connection>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly byChannel = new Map<string, Set<Connection>>();

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<Connection> {
    return this.byId.values();
  }

  add(connection: Connection): void {
    this.byId.set(connection.id, connection);
    addTo(this.byUser, connection.userId, connection);
  }

  remove(connection: Connection): void {
    this.byId.delete(connection.id);
    removeFrom(this.byUser, connection.userId, connection);
    for (const cid of connection.watching) removeFrom(this.byChannel, cid, connection);
    connection.watching.clear();
  }

  watch(connection: Connection, cid: string): void {
    connection.watching.add(cid);
    addTo(this.byChannel, cid, connection);
  }

  unwatch(connection: Connection, cid: string): void {
    connection.watching.delete(cid);
    removeFrom(this.byChannel, cid, connection);
  }

  watchers(cid: string): ReadonlySet<Connection> {
    return this.byChannel.get(cid) ?? EMPTY;
  }

  ofUser(userId: string): ReadonlySet<Connection> {
    return this.byUser.get(userId) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<Connection> = new Set();

function addTo(index: Map<string, Set<Connection>>, key: string, connection: Connection) {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(connection);
}

function removeFrom(index: Map<string, Set<Connection>>, key: string, connection: Connection) {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}
