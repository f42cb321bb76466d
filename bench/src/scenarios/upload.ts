import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLatencyHistogram, summarize } from '../lib/histogram.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { histogramTotals, runUploads, sampleMax } from '../lib/upload-load.js';
import { defineScenario, serverMeter, type ResultRow } from '../scenario.js';

const MB = 1024 * 1024;

export default defineScenario({
  name: 'upload',
  order: 65,
  description:
    'POST /uploads of `sizeMb` files, `concurrency` at a time (MB/s, latency), RSS growth with `inFlight` uploads at once, thumbnail time',
  params: {
    sizeMb: { quick: 5, full: 5, doc: 'size of each file (a PDF of random bytes)' },
    concurrency: { quick: 10, full: 10, doc: 'uploads in flight in the throughput phase' },
    uploads: { quick: 20, full: 100, doc: 'uploads in the throughput phase' },
    inFlight: { quick: 20, full: 20, doc: 'uploads sent at once in the memory phase' },
    images: { quick: 5, full: 20, doc: 'photos uploaded one at a time in the thumbnail phase' },
    imageWidth: { quick: 2400, full: 4000, doc: 'photo width (3:2), a noisy JPEG' },
  },
  async run(ctx) {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-upload-'));
    const server = await startServerProcess({
      dataDir,
      extraArgs: ['--uploads-per-window', '0'],
    });
    try {
      const sdk = sdkFor(server);
      const [user] = await createUsers(sdk, ['uploader']);
      await sdk.getOrCreateChannel('bench', 'files', { members: ['uploader'] });
      const base = { url: server.url, token: user!.token, cid: 'bench:files' };
      const size = Math.round(ctx.num('sizeMb') * MB);
      // `%PDF-` makes it a PDF for the sniffer; the rest is random so nothing compresses it.
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
      const file = { ...base, bytes: pdf, name: 'slides.pdf' };
      const rows: ResultRow[] = [];

      await runUploads(file, 2, 2, createLatencyHistogram()); // warm-up
      const latency = createLatencyHistogram();
      const meter = serverMeter(server);
      meter.start();
      const done = await runUploads(file, ctx.num('uploads'), ctx.num('concurrency'), latency);
      rows.push({
        label: `${ctx.num('uploads')} × ${ctx.num('sizeMb')} MB, ${ctx.num('concurrency')} at once`,
        metrics: {
          ...summarize(latency),
          mb_per_s: Math.round((done.bytes / MB / (done.elapsedMs / 1000)) * 10) / 10,
          uploads_per_s: Math.round((done.ok / (done.elapsedMs / 1000)) * 10) / 10,
          errors: done.errors,
          ...meter.stop(),
        },
      });
      latency.destroy();

      const inFlight = ctx.num('inFlight');
      const rssBefore = server.stats()?.rssBytes ?? null;
      const peak = sampleMax(() => server.stats()?.rssBytes ?? null);
      const burst = createLatencyHistogram();
      const held = await runUploads(file, inFlight, inFlight, burst);
      const rssPeak = peak.stop();
      rows.push({
        label: `${inFlight} × ${ctx.num('sizeMb')} MB at once (${Math.round((inFlight * size) / MB)} MB in flight)`,
        metrics: {
          ...summarize(burst),
          errors: held.errors,
          rss_before_mb: rssBefore === null ? null : Math.round((rssBefore / MB) * 10) / 10,
          rss_peak_mb: rssPeak === null ? null : Math.round((rssPeak / MB) * 10) / 10,
          rss_growth_mb:
            rssBefore === null || rssPeak === null
              ? null
              : Math.round(((rssPeak - rssBefore) / MB) * 10) / 10,
        },
      });
      burst.destroy();

      const width = ctx.num('imageWidth');
      const height = Math.round((width * 2) / 3);
      const photo = await sharp({
        create: {
          width,
          height,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .jpeg({ quality: 85 })
        .toBuffer();
      const before = histogramTotals(await metricsOf(server.url), 'parley_thumbnail_seconds');
      const images = createLatencyHistogram();
      const shot = await runUploads(
        { ...base, bytes: photo, name: 'photo.jpg' },
        ctx.num('images'),
        1,
        images,
      );
      const after = histogramTotals(await metricsOf(server.url), 'parley_thumbnail_seconds');
      const thumbs = after.count - before.count;
      rows.push({
        label: `photos ${width}×${height} (${Math.round((photo.length / MB) * 10) / 10} MB JPEG), one at a time`,
        metrics: {
          ...summarize(images),
          thumbnail_ms:
            thumbs > 0 ? Math.round(((after.sum - before.sum) / thumbs) * 10000) / 10 : null,
          thumbnails: thumbs,
          errors: shot.errors,
        },
      });
      images.destroy();
      return rows;
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});

async function metricsOf(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  return res.text();
}
