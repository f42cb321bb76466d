import { Worker } from 'node:worker_threads';

/** Timeouts of a phased worker run; every phase is bounded. */
export interface WorkerPoolOptions {
  /** All workers must have connected (posted `ready`) by then. */
  readyTimeoutMs: number;
  /** All workers must have posted their result by then, counted from `start`. */
  runTimeoutMs: number;
  /** Called once every worker is ready, just before `start` is posted (e.g. to sample CPU). */
  onStart?: () => void;
}

type FromWorker<R> =
  { type: 'ready' } | { type: 'result'; result: R } | { type: 'failed'; message: string };

/**
 * Runs one worker thread per input in two phases: each prepares (connects) and posts
 * `ready`; once all are ready they get `start` together and each posts its `result`.
 * Load runs in workers so the generator does not share an event loop with the runner,
 * and the server runs in its own process. Workers are terminated on every exit path.
 */
export async function runPhasedWorkers<I, R>(
  script: URL,
  inputs: readonly I[],
  options: WorkerPoolOptions,
): Promise<R[]> {
  const workers = inputs.map((input) => new Worker(script, { workerData: input }));
  try {
    const ready = workers.map((worker) => nextMessage<R>(worker, 'ready'));
    await withTimeout(Promise.all(ready), options.readyTimeoutMs, 'workers not ready');
    const results = workers.map((worker) => nextMessage<R>(worker, 'result'));
    options.onStart?.();
    for (const worker of workers) worker.postMessage({ type: 'start' });
    const done = await withTimeout(
      Promise.all(results),
      options.runTimeoutMs,
      'workers did not finish',
    );
    return done.map((message) => (message as { result: R }).result);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function nextMessage<R>(worker: Worker, type: 'ready' | 'result'): Promise<FromWorker<R>> {
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
