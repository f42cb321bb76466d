/** Receives one event. */
export type Handler<T> = (event: T) => void;

/** A small typed event emitter whose `on` returns its own unsubscribe. */
export class Emitter<M extends object> {
  private readonly handlers = new Map<keyof M, Set<Handler<never>>>();

  /** Calls `handler` for every `type` event until the returned function is called. */
  on<K extends keyof M>(type: K, handler: Handler<M[K]>): () => void {
    let set = this.handlers.get(type);
    if (set === undefined) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  }

  emit<K extends keyof M>(type: K, event: M[K]): void {
    const set = this.handlers.get(type);
    if (set === undefined) return;
    for (const handler of [...set]) {
      try {
        (handler as Handler<M[K]>)(event);
      } catch (error) {
        // An app's handler must not break the client's bookkeeping; its error still
        // surfaces as an uncaught one, where the app's error reporting sees it.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Forgets every handler. */
  clear(): void {
    this.handlers.clear();
  }
}
