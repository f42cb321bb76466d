import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  constructor(nodeId: string) {
    this.registry.setDefaultLabels({ node: nodeId });
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }
}
