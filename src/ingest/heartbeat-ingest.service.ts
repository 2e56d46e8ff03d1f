import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { IPublishPacket } from 'mqtt';
import { AppConfig } from '../config/app-config';
import { dataError } from '../database/pg-errors';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory/inventory.events';
import { HEARTBEAT_TOPIC_FILTER } from '../mqtt/heartbeat-topic';
import { SECURITY_EVENTS_RECORDED, SecurityEventsRecordedEvent } from '../security-events/security-events.events';
import { ingestConnections } from '../database/ingest-data-source';
import { MqttConnection } from '../mqtt/mqtt-connection';
import { BatchItem, HeartbeatBatcher } from './heartbeat-batcher';
import { collapseHeartbeats } from './heartbeat-collapse';
import { parseHeartbeat } from './heartbeat-message';
import { HeartbeatPlan } from './heartbeat-plan';
import { HeartbeatRepository } from './heartbeat.repository';
import { CONNECTIVITY_CHANGED, ConnectivityChangedEvent, ROGUE_SIGHTED, RogueSightedEvent } from './ingest.events';
import { IngestMetrics } from './ingest.metrics';
import { storableText, unstorableRejection } from './rejection-records';
import { DEFAULT_HIGH_WATER, PubackGate } from './puback-gate';

const KEEP_PAYLOAD_BYTES = 1024;
/** The most heartbeats one batch (one transaction) holds. */
export const HEARTBEAT_MAX_BATCH = 2_500;

/**
 * MQTT -> validate -> batch -> one transaction -> PUBACK. A heartbeat is acknowledged to the
 * broker only after the batch holding it has committed (at least once).
 */
@Injectable()
export class HeartbeatIngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HeartbeatIngestService.name);
  private gate!: PubackGate;
  private batcher!: HeartbeatBatcher;
  private commits = 0;

  constructor(
    private readonly connection: MqttConnection,
    private readonly repository: HeartbeatRepository,
    private readonly metrics: IngestMetrics,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  /**
   * Everything that handles a message is in place before the connection opens: a persistent
   * session's queue arrives right after CONNACK, and MQTT.js acknowledges whatever it handles
   * before our handler and gate exist (and drops it, with no 'message' listener).
   */
  async onApplicationBootstrap(): Promise<void> {
    const client = this.connection.client;
    this.gate = new PubackGate(client, DEFAULT_HIGH_WATER);
    this.batcher = new HeartbeatBatcher({
      maxWaitMs: 10,
      maxBatch: HEARTBEAT_MAX_BATCH,
      maxConcurrent: ingestConnections(this.config).concurrentBatches,
      commit: (heartbeats, rejections) => this.repository.apply(collapseHeartbeats(heartbeats), rejections),
      onCommitted: (items, plan, ms) => this.committed(items, plan, ms),
      onCommitFailed: (error, attempt) => {
        this.metrics.commitFailures.inc();
        this.logger.error({ err: (error as Error).message, attempt }, 'heartbeat batch commit failed; holding acknowledgements and retrying');
      },
      isDataError: (error) => dataError(error) !== null,
      unstorable: (item, error) => {
        this.metrics.rejected.inc({ reason: 'unstorable' });
        this.logger.warn({ deviceId: item.heartbeat!.deviceId, code: dataError(error) }, 'the database refused a heartbeat; storing it as a rejection');
        return { ack: item.ack, rejection: unstorableRejection(item.heartbeat!, error) };
      },
      onDropped: (item, error) => {
        this.metrics.unstored.inc();
        this.logger.error(
          { topic: item.rejection?.topic, reason: item.rejection?.reason, code: dataError(error) },
          'the database refused the rejection record too; the message is acknowledged without a record',
        );
      },
    });
    this.metrics.countPending(() => this.batcher.uncommitted);
    client.on('message', (topic, payload, packet) => this.receive(topic, payload, packet));
    await this.connection.open();
    const filter = this.topicFilter();
    await client.subscribeAsync(filter, { qos: 1 });
    this.logger.log({ filter }, 'subscribed to heartbeats');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.batcher?.drain();
  }

  private topicFilter(): string {
    const group = this.config.MQTT_SHARED_GROUP;
    // Aedes has no shared subscriptions; with it there is only ever one consumer anyway.
    return group && !this.config.embeddedBroker ? `$share/${group}/${HEARTBEAT_TOPIC_FILTER}` : HEARTBEAT_TOPIC_FILTER;
  }

  private receive(topic: string, payload: Buffer, packet: IPublishPacket): void {
    this.metrics.received.inc();
    const receivedAt = new Date();
    const ack = packet.qos > 0 && packet.messageId !== undefined ? this.gate.token(packet.messageId) : undefined;
    const parsed = parseHeartbeat(topic, payload, receivedAt, packet.retain);
    const item: BatchItem = parsed.ok
      ? { heartbeat: parsed.heartbeat, ack }
      : {
          ack,
          rejection: {
            receivedAt,
            // Brokers should refuse U+0000 in a topic; if one passes it, it must not sink the batch.
            topic: storableText(topic),
            reason: parsed.reason,
            detail: parsed.detail,
            payload: storableText(payload.subarray(0, KEEP_PAYLOAD_BYTES).toString('utf8')),
          },
        };
    if (!parsed.ok) this.metrics.rejected.inc({ reason: parsed.reason });
    this.batcher.add(item);
  }

  private committed(items: BatchItem[], plan: HeartbeatPlan, ms: number): void {
    this.gate.release(items.flatMap((i) => (i.ack ? [i.ack] : [])));
    this.metrics.committed.inc(plan.updates.length + plan.routine);
    this.metrics.batchSeconds.observe(ms / 1000);
    this.metrics.batchSize.observe(items.length);
    if (plan.cameOnline) {
      this.metrics.connectivity.inc({ to: 'online' }, plan.cameOnline);
      const event: ConnectivityChangedEvent = { deviceIds: plan.cameOnlineIds, connectivity: 'online' };
      this.events.emit(CONNECTIVITY_CHANGED, event);
    }
    for (const s of plan.sightings) this.metrics.sightings.inc({ reason: s.reason }, s.heartbeat.count);
    if (plan.sightings.length) {
      const event: RogueSightedEvent = { sightings: plan.sightings.map((s) => ({ claimedDeviceId: s.claimedDeviceId, reason: s.reason })) };
      this.events.emit(ROGUE_SIGHTED, event);
    }
    if (plan.firmwareChanges.length) {
      const event: DevicesChangedEvent = { deviceIds: plan.firmwareChanges.map((c) => c.deviceId), reason: 'firmware' };
      this.events.emit(DEVICES_CHANGED, event);
    }
    if (plan.securityEvents.length) {
      const recorded: SecurityEventsRecordedEvent = { types: plan.securityEvents.map((e) => e.type), queued: plan.webhookDeliveries };
      this.events.emit(SECURITY_EVENTS_RECORDED, recorded);
    }
    if (++this.commits % 200 === 0) void this.pruneRejections();
  }

  /** Keeps the rejection table bounded; a failure is counted and logged, and the next prune catches up. */
  private async pruneRejections(): Promise<void> {
    try {
      await this.repository.pruneRejections();
    } catch (e) {
      this.metrics.pruneFailures.inc({ table: 'ingest_rejections' });
      this.logger.warn({ err: (e as Error).message }, 'pruning old ingest rejections failed; retried after the next 200 batches');
    }
  }
}
