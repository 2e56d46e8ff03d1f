import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { SyslogChannel } from './syslog.repository';

@Injectable()
export class SyslogMetrics {
  readonly sent: Counter<'channel'>;
  readonly failures: Counter<'channel'>;
  readonly lagSeconds: Gauge<'channel'>;
  readonly forwarding: Gauge<string>;
  /** Per channel, the time of the oldest row not delivered yet, as last read (null: caught up). */
  private readonly oldestPending = new Map<SyslogChannel, Date | null>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.sent = new Counter({
      name: 'iomt_syslog_sent_total',
      help: 'Messages handed to the syslog collector, by channel',
      labelNames: ['channel'],
      registers,
    });
    this.failures = new Counter({
      name: 'iomt_syslog_failures_total',
      help: 'Failed attempts to deliver to the syslog collector (connect, write or database); retried from the stored cursor',
      labelNames: ['channel'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'iomt_syslog_lag_seconds',
      help: 'Age of the oldest security event or audit entry not yet delivered to the syslog collector (0 when caught up)',
      labelNames: ['channel'],
      registers,
      collect: () => {
        for (const [channel, oldest] of this.oldestPending) {
          this.lagSeconds.set({ channel }, oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
        }
      },
    });
    this.forwarding = new Gauge({
      name: 'iomt_syslog_forwarding',
      help: '1 when this replica holds the forwarding lock and delivers to the syslog collector, else 0',
      registers,
    });
  }

  observePending(channel: SyslogChannel, oldest: Date | null): void {
    this.oldestPending.set(channel, oldest);
  }
}
