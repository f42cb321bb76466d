/**
 * Sending files from a real browser (Debian's Chromium, driven with playwright-core) to a
 * real server: XMLHttpRequest upload progress, and a message queued offline with a file
 * that survives a page reload in IndexedDB and is sent once when the link is back.
 *
 * The client's source is bundled with esbuild into a script that puts it on `window`, and
 * served with a one-page HTML from 127.0.0.1 (IndexedDB needs a real origin). The page talks
 * to the server through a TCP proxy, so the test can take the chat server away without
 * taking the page's own server with it. Every wait is bounded by a timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../../server/test/helpers/test-server.js';
import { PDF } from '../../../server/test/helpers/upload-fixtures.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/wait.js';

const haveChromium = chromiumAvailable("the client's upload browser test");
const CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WAIT = 15_000;
/** Padding after the PDF's end, so that its upload takes several progress events. */
const PADDING = 2_000_000;
const BIG_PDF = Buffer.concat([PDF, Buffer.alloc(PADDING, 0x20)]);
/** A File in the page: the PDF (base64), then `padding` spaces. */
const FILE_IN_PAGE = `(name, base64, padding) => {
  const head = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new File([head, new Uint8Array(padding).fill(0x20)], name, { type: 'application/pdf' });
}`;

async function bundleClient(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "import * as Parley from './src/index.ts';\nwindow.Parley = Parley;\n",
      resolveDir: CLIENT,
      sourcefile: 'uploads.browser-entry.ts',
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

async function serve(script: string): Promise<{ server: Server; url: string }> {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>uploads</title>' +
    '<script src="/client.js"></script></head><body></body></html>';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (path === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Starts a client in the page (IndexedDB queue store), connected as `user`, watching
 * `messaging:<channelId>`; it stays on `window.chat`.
 */
async function startClient(page: Page, chatUrl: string, token: string, channelId: string) {
  await page.evaluate(
    async ([url, token, channelId]) => {
      const { ChatClient, IndexedDBQueueStore } = (window as any).Parley;
      const client = new ChatClient({
        url,
        queueStore: new IndexedDBQueueStore('parley-uploads-test'),
        reconnect: { minDelayMs: 50, maxDelayMs: 300 },
      });
      const channel = client.channel('messaging', channelId);
      (window as any).chat = { client, channel };
      await client.connectUser({ id: 'alice' }, token);
      await channel.watch();
    },
    [chatUrl, token, channelId] as const,
  );
}

describe.skipIf(!haveChromium)('sending files from Chromium', () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let page$: { server: Server; url: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await TestServer.start('sqlite');
    await server.createUsers('alice', 'bob');
    proxy = await TcpProxy.start(Number(new URL(server.url).port));
    page$ = await serve(await bundleClient());
    browser = await launchChromium(WAIT);
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(page$.url);
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (page$ !== undefined) {
      page$.server.closeAllConnections();
      await new Promise<void>((done) => page$.server.close(() => done()));
    }
    await proxy?.close();
    await server?.close();
  });

  it(
    'reports upload progress as the bytes go, then sends the message with its file',
    { timeout: 60_000 },
    async () => {
      await server.createChannel('messaging', 'progress', ['alice', 'bob']);
      await startClient(page, proxy.url, await server.tokenFor('alice'), 'progress');
      // A slow uplink (2 MB/s), as a phone's: progress events come while the bytes go.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 2_000_000,
      });
      const result = await page.evaluate(
        async ([makeFile, base64, padding]) => {
          const { channel } = (window as any).chat;
          const file = (0, eval)(makeFile)('deck.pdf', base64, padding);
          const loaded: number[] = [];
          const message = await channel.sendMessage({
            text: 'the deck',
            attachments: [file],
            onUploadProgress: (p: { loaded: number }) => loaded.push(p.loaded),
          });
          return { loaded, attachments: message.attachments, status: message.status };
        },
        [FILE_IN_PAGE, PDF.toString('base64'), PADDING] as const,
      );
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      expect(result.status).toBe('sent');
      expect(result.loaded.at(-1)).toBe(BIG_PDF.length);
      // Progress came as the bytes went, not only at the end.
      expect(result.loaded.filter((n) => n > 0 && n < BIG_PDF.length).length).toBeGreaterThan(0);
      const download = await server.download(result.attachments[0].url);
      expect(download.bytes.equals(BIG_PDF)).toBe(true);
    },
  );

  it(
    'keeps a file queued offline in IndexedDB across a reload and sends it once',
    { timeout: 60_000 },
    async () => {
      await server.createChannel('messaging', 'reload', ['alice', 'bob']);
      await startClient(page, proxy.url, await server.tokenFor('alice'), 'reload');
      proxy.pause();
      proxy.cut();
      await page.waitForFunction(() => (window as any).chat.client.state === 'reconnecting');
      await page.evaluate(
        ([makeFile, base64]) => {
          const { channel } = (window as any).chat;
          const file = (0, eval)(makeFile)('offline.pdf', base64, 0);
          void channel
            .sendMessage({ text: 'written offline', attachments: [file] })
            .catch(() => {});
        },
        [FILE_IN_PAGE, PDF.toString('base64')] as const,
      );
      // Saved to IndexedDB before any attempt; then the page goes away.
      await page.waitForTimeout(500);
      await page.reload();
      await page.waitForFunction(() => (window as any).Parley !== undefined);
      proxy.resume();
      await startClient(page, proxy.url, await server.tokenFor('alice'), 'reload');
      await page.waitForFunction(() => (window as any).chat.client.pendingCount === 0);
      await waitUntil('the message to be stored', async () => {
        const res = await server.api('GET', '/channels/messaging/reload/messages');
        return res.body.messages.length > 0;
      });
      const res = await server.api('GET', '/channels/messaging/reload/messages');
      expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['written offline']);
      const download = await server.download(res.body.messages[0].attachments[0].url);
      expect(download.bytes.equals(PDF)).toBe(true);
    },
  );
});
