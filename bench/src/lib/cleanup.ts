/**
 * Teardown steps still owed (servers to stop, databases to drop, folders to remove), run
 * newest first by `runCleanups` — on success, on error and on Ctrl-C alike.
 */
const pending = new Set<() => Promise<void>>();

/** Registers a teardown step; returns a function that runs it once and unregisters it. */
export function deferCleanup(step: () => Promise<void>): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    pending.delete(once);
    await step();
  };
  pending.add(once);
  return once;
}

/** Runs every pending step, newest first; a failing step does not stop the others. */
export async function runCleanups(): Promise<void> {
  for (const step of [...pending].reverse()) {
    try {
      await step();
    } catch (error) {
      console.error('bench: cleanup failed:', error);
    }
  }
}
