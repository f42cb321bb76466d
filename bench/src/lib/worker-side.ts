import { parentPort, workerData } from 'node:worker_threads';

/**
 * What a load worker does once connected: `run` measures (once per round the runner asks
 * for, with that round's request), `close` ends its connections when the runner is done.
 */
export interface PreparedLoad<R, Q = undefined> {
  run(request: Q): Promise<R>;
  close(): Promise<void>;
}

type ToWorker<Q> = { type: 'run'; request: Q } | { type: 'close' };

/**
 * The worker half of `startWorkers` / `runPhasedWorkers`: prepare (connect), post `ready`,
 * then answer each `run` with a `result` until `close`. A failure is posted as `failed`;
 * `close` runs in every case.
 */
export function workerMain<I, R, Q = undefined>(
  prepare: (input: I) => Promise<PreparedLoad<R, Q>>,
): void {
  const port = parentPort;
  if (port === null) throw new Error('a load worker must run in a worker thread');
  let prepared: PreparedLoad<R, Q> | undefined;
  const fail = (error: unknown) =>
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.stack : String(error),
    });
  const finish = async () => {
    await prepared?.close().catch(() => undefined);
    port.postMessage({ type: 'closed' });
    port.close();
  };
  // Rounds run one after the other, in the order the runner posted them.
  let queue = Promise.resolve();
  const main = async () => {
    try {
      prepared = await prepare(workerData as I);
    } catch (error) {
      fail(error);
      await finish();
      return;
    }
    port.on('message', (message: ToWorker<Q>) => {
      queue = queue.then(async () => {
        if (message.type === 'close') return finish();
        try {
          port.postMessage({ type: 'result', result: await prepared!.run(message.request) });
        } catch (error) {
          fail(error);
        }
      });
    });
    // Ready only once the listener exists, so `run` cannot be missed.
    port.postMessage({ type: 'ready' });
  };
  void main();
}
