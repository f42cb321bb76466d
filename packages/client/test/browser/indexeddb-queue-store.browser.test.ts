/**
 * IndexedDBQueueStore against the real IndexedDB of Debian's Chromium, driven with
 * playwright-core: Node has no IndexedDB (and fake-indexeddb is not a dependency), so the
 * queue-store contract (src/queue/queue-store.contract.test.ts) is checked here.
 *
 * The store's source is bundled in memory with esbuild into a script that puts the class on
 * `window`, and served with a one-page HTML from a node:http server on 127.0.0.1: IndexedDB
 * needs a real origin (about:blank has none). Every wait is bounded by a timeout.
 *
 * Chromium: /usr/bin/chromium, or the path in PARLEY_CHROMIUM. Without it the file is
 * skipped (with a loud message) on a developer's machine and fails when CI=true, as the
 * React kit's browser test (packages/react/test/browser/chat.browser.test.ts) does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedSend } from '../../src/queue/queue-store.js';

const haveChromium = chromiumAvailable("the IndexedDB queue store's browser test");
const CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Upper bound of any single wait: generous for a loaded CI machine. */
const WAIT = 15_000;

/** The store's source as one browser script that sets `window.IndexedDBQueueStore`. */
async function bundleStore(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        "import { IndexedDBQueueStore } from './src/queue/indexeddb-queue-store.ts';\n" +
        'window.IndexedDBQueueStore = IndexedDBQueueStore;\n',
      resolveDir: CLIENT,
      sourcefile: 'indexeddb-queue-store.browser-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>IndexedDB queue store</title>' +
  '<script src="/store.js"></script></head><body></body></html>';

/** Serves the page and the bundle on 127.0.0.1, on a free port. */
async function serve(script: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    } else if (path === '/store.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Rejects when `promise` has not settled within WAIT ms (page.evaluate has no timeout). */
async function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`${what}: no answer in ${WAIT} ms`)), WAIT);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const item = (id: string, extra: Partial<QueuedSend> = {}): QueuedSend => ({
  cid: 'messaging:general',
  id,
  text: `text ${id}`,
  createdAt: 1_700_000_000_000,
  ...extra,
});

describe.skipIf(!haveChromium)('IndexedDBQueueStore in Chromium', () => {
  let server: Server | undefined;
  let url: string;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let dbCount = 0;
  /** A database name no test has used yet. */
  const freshDbName = () => `parley-test-${++dbCount}`;

  beforeAll(async () => {
    ({ server, url } = await serve(await bundleStore()));
    browser = await launchChromium(WAIT);
  }, 60_000);

  afterEach(async () => {
    await context?.close().catch(() => {});
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((done) => server!.close(() => done()));
    }
  });

  /** The test page in a browser context of its own (its own, empty, IndexedDB). */
  async function open(): Promise<Page> {
    context = await browser!.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => console.error('page error:', err));
    page.on('console', (msg) => {
      if (msg.type() === 'error') console.error('console:', msg.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as any).IndexedDBQueueStore === 'function');
    return page;
  }

  /** `load()` of a new store instance on `dbName`, run in the page. */
  const load = (page: Page, dbName: string): Promise<QueuedSend[]> =>
    bounded(
      page.evaluate((name) => new (window as any).IndexedDBQueueStore(name).load(), dbName),
      `load(${dbName})`,
    );

  /** `save(items)` of a new store instance on `dbName`, run in the page. */
  const save = (page: Page, dbName: string, items: QueuedSend[]): Promise<void> =>
    bounded(
      page.evaluate(([name, list]) => new (window as any).IndexedDBQueueStore(name).save(list), [
        dbName,
        items,
      ] as const),
      `save(${dbName})`,
    );

  it('runs on a real origin, with IndexedDB', async () => {
    const page = await open();
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => typeof indexedDB)).toBe('object');
  });

  it('loads nothing from a fresh database', async () => {
    const page = await open();
    const dbName = freshDbName();
    expect(await load(page, dbName)).toEqual([]);
    // Loading created the database (and its object store), and left it empty.
    expect(await load(page, dbName)).toEqual([]);
  });

  it('gives back what was saved, in order, with data and user', async () => {
    const page = await open();
    const dbName = freshDbName();
    const items = [
      item('a', { data: { x: 1, nested: ['y'] }, userId: 'ann' }),
      item('b'),
      item('c'),
    ];
    await save(page, dbName, items);
    expect(await load(page, dbName)).toEqual(items);
  });

  it('keeps the items across a page reload', async () => {
    const page = await open();
    const dbName = freshDbName();
    const items = [item('a'), item('b', { userId: 'ben' })];
    await page.evaluate('window.__sameDocument = true');
    await save(page, dbName, items);

    await page.reload();
    await page.waitForFunction(() => typeof (window as any).IndexedDBQueueStore === 'function');
    // A new document, so a new store instance with nothing in memory.
    expect(await page.evaluate('window.__sameDocument')).toBeUndefined();
    expect(await load(page, dbName)).toEqual(items);
  });

  it('replaces what it held on every save, down to nothing', async () => {
    const page = await open();
    const dbName = freshDbName();
    await save(page, dbName, [item('a'), item('b')]);
    await save(page, dbName, [item('b')]);
    expect((await load(page, dbName)).map((i) => i.id)).toEqual(['b']);
    await save(page, dbName, []);
    expect(await load(page, dbName)).toEqual([]);
  });

  it('is not changed by later changes to the saved array', async () => {
    const page = await open();
    const dbName = freshDbName();
    const stored = await bounded(
      page.evaluate(
        async ([name, first]) => {
          const store = new (window as any).IndexedDBQueueStore(name);
          const items = [first];
          await store.save(items);
          items.push({ ...first, id: 'b' });
          items[0]!.text = 'changed';
          return store.load();
        },
        [dbName, item('a')] as const,
      ),
      'save, change, load',
    );
    expect(stored).toEqual([item('a')]);
  });

  it('keeps two database names apart', async () => {
    const page = await open();
    const one = freshDbName();
    const two = freshDbName();
    await save(page, one, [item('one')]);
    expect(await load(page, two)).toEqual([]);
    await save(page, two, [item('two-a'), item('two-b')]);
    expect(await load(page, one)).toEqual([item('one')]);
    await save(page, one, []);
    expect((await load(page, two)).map((i) => i.id)).toEqual(['two-a', 'two-b']);
  });

  it('drops malformed items that the database holds', async () => {
    const page = await open();
    const dbName = freshDbName();
    await save(page, dbName, [item('ok'), { id: 'no-cid' } as any, null as any, 7 as any]);
    expect((await load(page, dbName)).map((i) => i.id)).toEqual(['ok']);
  });
});
