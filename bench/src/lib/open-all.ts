/** Anything that can be closed: a connection of one system or another. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Opens a connection per item, `concurrency` at a time so the server is not hit by a
 * stampede. When one fails, the ones already open are closed and the error is rethrown.
 */
export async function openAll<T, C extends Closable>(
  items: readonly T[],
  open: (item: T, index: number) => Promise<C>,
  concurrency = 50,
): Promise<C[]> {
  const opened: C[] = [];
  try {
    for (let i = 0; i < items.length; i += concurrency) {
      const batch = items.slice(i, i + concurrency);
      const settled = await Promise.allSettled(batch.map((item, j) => open(item, i + j)));
      // Keep the ones that opened so they are closed too when another failed.
      for (const s of settled) if (s.status === 'fulfilled') opened.push(s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()));
    throw error;
  }
}
