import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * prom-client's default metrics left out: they list every handle, request or resource of
 * the process (each socket one) at every scrape, on the event loop. With 1,000 WebSocket
 * connections a scrape held the loop ~4 ms (26 ms with 10,000), ~1.3 ms without them;
 * a DM bench scrape mid-traffic was a 26–37 ms busy spell. `parley_connections` counts
 * the sockets that matter.
 */
const COSTLY_DEFAULTS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
];

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may share a
 * process). Every series carries the node's id as label `node`, so a deployment's nodes
 * can be told apart and summed.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({
    name: 'parley_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly connectionsTotal = new Counter({
    name: 'parley_connections_total',
    help: 'WebSocket connections accepted since start',
    registers: [this.registry],
  });
  readonly messages = new Counter({
    name: 'parley_messages_total',
    help: 'Messages stored (duplicates of an existing id are not counted)',
    registers: [this.registry],
  });
  readonly eventsFannedOut = new Counter({
    name: 'parley_events_fanned_out_total',
    help: 'Events and notifications written to WebSocket connections',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly wsFrames = new Counter({
    name: 'parley_ws_frames_received_total',
    help: 'Frames received from clients, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'REST request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly sendBatchSize = new Histogram({
    name: 'parley_send_batch_size',
    help: 'Sends stored per transaction: sends that arrive together are stored together',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });
  readonly diskSyncSeconds = new Histogram({
    name: 'parley_storage_sync_seconds',
    help: "Time each commit's sync to disk took (SQLite's WAL fdatasync; an acknowledgement waits for it)",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private longestDiskSync = 0;
  readonly diskSyncMaxSeconds = new Gauge({
    name: 'parley_storage_sync_max_seconds',
    help: 'The longest sync to disk since the last scrape (0 when none ran)',
    registers: [this.registry],
    collect: () => {
      this.diskSyncMaxSeconds.set(this.longestDiskSync);
      this.longestDiskSync = 0;
    },
  });
  readonly errors = new Counter({
    name: 'parley_errors_total',
    help: 'Errors returned to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly uploads = new Counter({
    name: 'parley_uploads_total',
    help: 'Files stored by POST /uploads, by attachment type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly thumbnailSeconds = new Histogram({
    name: 'parley_thumbnail_seconds',
    help: 'Time to make the thumbnail of an uploaded image',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'parley_webhook_deliveries_total',
    help: 'Webhook delivery attempts by result: delivered, retried (failed, will retry), failed (dead-lettered)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly emails = new Counter({
    name: 'parley_notification_emails_total',
    help: 'Notification emails by result: sent, skipped (read or online in time), error (will retry)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private webhookQueue: (() => Promise<{ pending: number; failed: number }>) | null = null;
  readonly webhookQueueSize = new Gauge({
    name: 'parley_webhook_deliveries',
    help: 'Webhook deliveries in the database by status: pending (waiting or retrying), failed (dead-lettered)',
    labelNames: ['status'] as const,
    registers: [this.registry],
    collect: async () => {
      if (this.webhookQueue === null) return;
      try {
        const counts = await this.webhookQueue();
        this.webhookQueueSize.set({ status: 'pending' }, counts.pending);
        this.webhookQueueSize.set({ status: 'failed' }, counts.failed);
      } catch {
        // The storage is down: /metrics still answers, without this gauge's news.
      }
    },
  });

  private searchSlots: (() => { running: number; waiting: number }) | null = null;
  readonly searches = new Gauge({
    name: 'parley_searches',
    help: 'Searches by state: running, or waiting for one of the searchConcurrency slots',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const now = this.searchSlots?.() ?? { running: 0, waiting: 0 };
      this.searches.set({ state: 'running' }, now.running);
      this.searches.set({ state: 'waiting' }, now.waiting);
    },
  });

  /** Records one commit's sync to disk. */
  observeDiskSync(seconds: number): void {
    this.diskSyncSeconds.observe(seconds);
    if (seconds > this.longestDiskSync) this.longestDiskSync = seconds;
  }

  /** Where the webhook queue gauge reads its counts when scraped. */
  watchWebhookQueue(count: () => Promise<{ pending: number; failed: number }>): void {
    this.webhookQueue = count;
  }

  /** Where the searches gauge reads how many run and wait when scraped. */
  watchSearches(count: () => { running: number; waiting: number }): void {
    this.searchSlots = count;
  }

  constructor(nodeId: string) {
    this.registry.setDefaultLabels({ node: nodeId });
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
    for (const name of COSTLY_DEFAULTS) this.registry.removeSingleMetric(`parley_${name}`);
  }
}
