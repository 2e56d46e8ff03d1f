import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SYSLOG_FACILITIES } from '../config/syslog-target';
import { ForwarderLock } from './forwarder-lock';
import { SyslogMessage } from './rfc5424';
import { auditMessage, MessageContext, securityEventMessage } from './syslog-records';
import { createSyslogTransport, SyslogTransport } from './syslog-transport';
import { SyslogMetrics } from './syslog.metrics';
import { Pending, SyslogChannel, SyslogCursor, SyslogRepository } from './syslog.repository';
import { PeriodicTask } from '../common/periodic-task';

/** Rows read and sent per round trip. */
const BATCH = 200;
/** After failures in a row the wait doubles from the poll interval up to this. */
const MAX_BACKOFF_MS = 30_000;

interface Batch {
  messages: SyslogMessage[];
  last: SyslogCursor;
  oldest: Date;
}

/**
 * Delivers security events (and, with SYSLOG_AUDIT, audit entries) to SYSLOG_URL, reading the
 * tables after a stored cursor per channel: nothing is queued in memory, so ingest never waits
 * for the collector, and a restart or an outage resumes where the last delivery ended. The
 * cursor moves only after a batch was handed over: at least once (docs/siem.md).
 */
@Injectable()
export class SyslogForwarder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyslogForwarder.name);
  private readonly channels: SyslogChannel[];
  private readonly context: MessageContext;
  private readonly transport: SyslogTransport | null;
  private readonly lock: ForwarderLock;
  private failuresInARow = 0;
  private readonly task = new PeriodicTask({
    run: () => this.tick(),
    nextDelayMs: () => {
      const interval = this.config.SYSLOG_POLL_INTERVAL_MS;
      return this.failuresInARow ? Math.min(MAX_BACKOFF_MS, interval * 2 ** Math.min(this.failuresInARow, 10)) : interval;
    },
    logger: this.logger,
    failureMessage: 'syslog pass failed; retrying from the stored cursor',
  });

  constructor(
    private readonly config: AppConfig,
    private readonly repo: SyslogRepository,
    private readonly metrics: SyslogMetrics,
  ) {
    this.channels = config.SYSLOG_AUDIT ? ['security_events', 'audit_log'] : ['security_events'];
    this.context = { facility: SYSLOG_FACILITIES[config.SYSLOG_FACILITY], hostname: hostname(), procId: String(process.pid) };
    this.transport = config.syslog ? createSyslogTransport(config.syslog, config.SYSLOG_UDP_MAX_BYTES) : null;
    this.lock = new ForwarderLock(config.DATABASE_URL);
  }

  onApplicationBootstrap(): void {
    if (!this.transport || !this.config.syslog) return;
    const { protocol, host, port } = this.config.syslog;
    this.logger.log({ protocol, host, port, channels: this.channels, facility: this.config.SYSLOG_FACILITY }, 'syslog forwarding on');
    this.task.start(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const stopping = this.task.stop();
    // A send waiting on a dead collector fails at once instead of holding the shutdown.
    this.transport?.close();
    await stopping;
    this.transport?.close();
    await this.lock.release();
  }

  private async tick(): Promise<void> {
    let channel: SyslogChannel | null = null;
    try {
      const leader = await this.lock.acquire();
      this.metrics.forwarding.set(leader ? 1 : 0);
      if (leader) {
        for (channel of this.channels) await this.drain(channel);
      }
      if (this.failuresInARow > 0) this.logger.log({ failuresInARow: this.failuresInARow }, 'syslog delivery resumed');
      this.failuresInARow = 0;
    } catch (e) {
      this.failuresInARow++;
      this.metrics.failures.inc({ channel: channel ?? 'lock' });
      this.transport?.close();
      // The error only: message contents (audit entries name people) stay out of the log.
      const log = { err: (e as Error).message, channel, failuresInARow: this.failuresInARow };
      if (this.failuresInARow === 1 || this.failuresInARow % 20 === 0) this.logger.warn(log, 'syslog delivery failed; retrying from the stored cursor');
      else this.logger.debug(log, 'syslog delivery failed again');
    }
  }

  /** Sends the channel's rows after its cursor, batch by batch, until none are left (or the lock is gone). */
  private async drain(channel: SyslogChannel): Promise<void> {
    for (;;) {
      if (this.task.isStopped || !this.lock.isHeld) return;
      const from = await this.repo.cursor(channel);
      const batch = await this.read(channel, from);
      this.metrics.observePending(channel, batch?.oldest ?? null);
      if (!batch) return;
      await this.transport!.send(batch.messages);
      this.metrics.sent.inc({ channel }, batch.messages.length);
      if (!(await this.repo.advance(channel, from, batch.last))) {
        this.logger.warn({ channel }, 'syslog cursor moved by another forwarder; reading it again');
      }
      if (batch.messages.length < BATCH) {
        this.metrics.observePending(channel, null);
        return;
      }
    }
  }

  private async read(channel: SyslogChannel, from: SyslogCursor): Promise<Batch | null> {
    const toBatch = <Row>(pending: Array<Pending<Row>>, message: (row: Row) => SyslogMessage, at: (row: Row) => string): Batch | null =>
      pending.length === 0
        ? null
        : { messages: pending.map((p) => message(p.row)), last: pending[pending.length - 1].cursor, oldest: new Date(at(pending[0].row)) };
    if (channel === 'security_events') {
      return toBatch(
        await this.repo.securityEventsAfter(from, BATCH),
        (r) => securityEventMessage(r, this.context),
        (r) => r.detectedAt,
      );
    }
    return toBatch(
      await this.repo.auditAfter(from, BATCH),
      (r) => auditMessage(r, this.context),
      (r) => r.at,
    );
  }
}
