/**
 * Reference counting with a deferred last release. StrictMode mounts, unmounts and mounts
 * again at once; releasing on a zero-delay timer lets the second mount take the resource
 * back before anything is torn down, so no second socket (or watch) is opened.
 */
export class DeferredRelease {
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly release: () => void) {}

  acquire(): void {
    this.count += 1;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Drops one reference; the last one releases on the next tick unless acquired again. */
  drop(): void {
    this.count -= 1;
    if (this.count > 0 || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.count === 0) this.release();
    }, 0);
  }
}
