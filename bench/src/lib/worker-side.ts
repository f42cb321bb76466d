import { parentPort, workerData } from 'node:worker_threads';

/** What a load worker does once connected: `run` measures, `close` always follows. */
export interface PreparedLoad<R> {
  run(): Promise<R>;
  close(): Promise<void>;
}

/**
 * The worker half of `runPhasedWorkers`: prepare (connect), post `ready`, wait for `start`,
 * run, post the result. Any failure is posted as `failed`; `close` runs in every case.
 */
export function workerMain<I, R>(prepare: (input: I) => Promise<PreparedLoad<R>>): void {
  const port = parentPort;
  if (port === null) throw new Error('a load worker must run in a worker thread');
  let prepared: PreparedLoad<R> | undefined;
  const main = async () => {
    try {
      prepared = await prepare(workerData as I);
      const started = new Promise<void>((resolve) =>
        port.on('message', (message: { type?: string }) => {
          if (message.type === 'start') resolve();
        }),
      );
      // Ready only once the listener exists, so `start` cannot be missed.
      port.postMessage({ type: 'ready' });
      await started;
      const result = await prepared.run();
      port.postMessage({ type: 'result', result });
    } catch (error) {
      port.postMessage({
        type: 'failed',
        message: error instanceof Error ? error.stack : String(error),
      });
    } finally {
      await prepared?.close().catch(() => undefined);
      port.close();
    }
  };
  void main();
}
