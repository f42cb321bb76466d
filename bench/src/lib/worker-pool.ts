import { Worker } from 'node:worker_threads';

/** Timeouts of a phased worker run; every phase is bounded. */
export interface WorkerPoolOptions {
  /** All workers must have connected (posted `ready`) by then. */
  readyTimeoutMs: number;
  /** All workers must have posted their result by then, counted from `start`. */
  runTimeoutMs: number;
  /** Called once every worker is ready, just before `start` is posted (e.g. to sample CPU). */
  onStart?: () => void | Promise<void>;
}

/** Load worker threads that have all prepared (connected), driven round by round. */
export interface WorkerGroup<Q, R> {
  /**
   * Posts `request` (or `request(i)` to worker i) to every worker together and resolves
   * with their results in worker order; rejects when one fails or `timeoutMs` passes.
   */
  round(request: Q | ((index: number) => Q), timeoutMs: number): Promise<R[]>;
  /** Asks the workers to close their connections, then terminates them. */
  close(): Promise<void>;
}

type FromWorker<R> =
  | { type: 'ready' }
  | { type: 'result'; result: R }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

/**
 * Starts one worker thread per input and resolves once each has prepared (connected) and
 * posted `ready`. Load runs in workers so the generator does not share an event loop with
 * the runner, and the server runs in its own process.
 */
export async function startWorkers<I, Q, R>(
  script: URL,
  inputs: readonly I[],
  readyTimeoutMs: number,
): Promise<WorkerGroup<Q, R>> {
  const workers = inputs.map((input) => new Worker(script, { workerData: input }));
  const group: WorkerGroup<Q, R> = {
    async round(request, timeoutMs) {
      const results = workers.map((worker) => nextMessage<R>(worker, 'result'));
      workers.forEach((worker, i) =>
        worker.postMessage({
          type: 'run',
          request: typeof request === 'function' ? (request as (i: number) => Q)(i) : request,
        }),
      );
      const done = await withTimeout(Promise.all(results), timeoutMs, 'workers did not finish');
      return done.map((message) => (message as { result: R }).result);
    },
    async close() {
      // A worker that does not answer in time is terminated all the same.
      const closed = workers.map((worker) => nextMessage<R>(worker, 'closed').catch(() => null));
      for (const worker of workers) worker.postMessage({ type: 'close' });
      await withTimeout(Promise.all(closed), 10_000, 'workers did not close').catch(() => null);
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
  try {
    const ready = workers.map((worker) => nextMessage<R>(worker, 'ready'));
    await withTimeout(Promise.all(ready), readyTimeoutMs, 'workers not ready');
    return group;
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
}

/**
 * Runs one worker thread per input in two phases: each prepares (connects) and posts
 * `ready`; once all are ready they get `start` together and each posts its `result`.
 * Workers are terminated on every exit path.
 */
export async function runPhasedWorkers<I, R>(
  script: URL,
  inputs: readonly I[],
  options: WorkerPoolOptions,
): Promise<R[]> {
  const group = await startWorkers<I, undefined, R>(script, inputs, options.readyTimeoutMs);
  try {
    await options.onStart?.();
    return await group.round(undefined, options.runTimeoutMs);
  } finally {
    await group.close();
  }
}

function nextMessage<R>(
  worker: Worker,
  type: 'ready' | 'result' | 'closed',
): Promise<FromWorker<R>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker<R>) => {
      if (message.type === 'failed') finish(() => reject(new Error(`worker: ${message.message}`)));
      else if (message.type === type) finish(() => resolve(message));
    };
    const onError = (error: Error) => finish(() => reject(error));
    const onExit = (code: number) =>
      finish(() => reject(new Error(`worker exited (${code}) before '${type}'`)));
    const finish = (settle: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
