import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { REJECTION_REASONS } from './heartbeat-message';

@Injectable()
export class IngestMetrics {
  readonly received: Counter<string>;
  readonly committed: Counter<string>;
  readonly rejected: Counter<'reason'>;
  readonly sightings: Counter<'reason'>;
  readonly connectivity: Counter<'to'>;
  readonly batchSeconds: Histogram<string>;
  readonly batchSize: Histogram<string>;
  readonly pending: Gauge<string>;
  readonly commitFailures: Counter<string>;
  readonly unstored: Counter<string>;
  readonly pruneFailures: Counter<'table'>;
  /** Read when /metrics is scraped: setting it per message cost more than the whole count. */
  private readPending: () => number = () => 0;

  constructor(registry: Registry) {
    const registers = [registry];
    this.received = new Counter({ name: 'iomt_heartbeats_received_total', help: 'MQTT heartbeat messages received', registers });
    this.committed = new Counter({
      name: 'iomt_heartbeats_committed_total',
      help: 'Heartbeats applied and committed (after collapse: per device and batch)',
      registers,
    });
    this.rejected = new Counter({
      name: 'iomt_heartbeats_rejected_total',
      help: 'Heartbeats rejected, by reason; each is stored',
      labelNames: ['reason'],
      registers,
    });
    this.sightings = new Counter({
      name: 'iomt_unknown_device_heartbeats_total',
      help: 'Heartbeats from devices not in the inventory or with a mismatched serial',
      labelNames: ['reason'],
      registers,
    });
    this.connectivity = new Counter({ name: 'iomt_connectivity_transitions_total', help: 'Device connectivity transitions', labelNames: ['to'], registers });
    this.batchSeconds = new Histogram({
      name: 'iomt_ingest_batch_seconds',
      help: 'Time to commit one heartbeat batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'iomt_ingest_batch_messages',
      help: 'Messages per committed batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.pending = new Gauge({
      name: 'iomt_ingest_pending_messages',
      help: 'Messages received but not yet committed',
      registers,
      collect: () => this.pending.set(this.readPending()),
    });
    this.commitFailures = new Counter({ name: 'iomt_ingest_commit_failures_total', help: 'Batch commits that failed and will be retried', registers });
    this.unstored = new Counter({
      name: 'iomt_ingest_unstored_total',
      help: 'Messages acknowledged without any record: the database refused even their rejection record (see the logs)',
      registers,
    });
    this.pruneFailures = new Counter({
      name: 'iomt_ingest_prune_failures_total',
      help: 'Prunes of old ingest records that failed (see the logs); the table grows until one succeeds',
      labelNames: ['table'],
      registers,
    });
    this.pruneFailures.inc({ table: 'ingest_rejections' }, 0);
    for (const reason of REJECTION_REASONS) this.rejected.inc({ reason }, 0);
    for (const to of ['online', 'offline']) this.connectivity.inc({ to }, 0);
  }

  countPending(read: () => number): void {
    this.readPending = read;
  }
}
