import { MqttClient } from 'mqtt';

/** Incoming traffic resets MQTT.js's keepalive timer at most this often (it costs a timer). */
const RESCHEDULE_EVERY_MS = 1_000;

/**
 * Keeps a busy or deliberately paused subscriber connected. MQTT.js decides the connection is
 * dead when no PINGRESP or acknowledgement has been *handled* for 1.5 keepalive periods; incoming
 * PUBLISH packets do not count. Two situations here break that:
 *
 * - Under load the broker has already written thousands of messages ahead of the PINGRESP, and
 *   working through them takes longer than the timeout. Seen in the bench's firmware-churn phase
 *   (about 7,000 heartbeats/s for 28 s): "Keepalive timeout" in 2 runs of 2, and the reconnects
 *   had the broker deliver 5,000 and 6,599 heartbeats a second time.
 * - While the gate holds intake (the database is down), MQTT.js reads nothing, so it never sees
 *   the PINGRESP at all, and would reconnect every 45 s for as long as the outage lasts.
 *
 * So every message read counts as a sign of life for MQTT.js's timer, and so does a timer of
 * our own while reading is held. Either way the broker still hears from us within its own
 * 1.5 periods: a PINGREQ every half period, as PUBACKs may be held for longer than that. A
 * broker that vanishes while reading is held is noticed by TCP instead, or once reading resumes.
 */
export class ConsumerKeepalive {
  private lastRescheduleMs = 0;
  private lastPingMs = Date.now();
  private holder: NodeJS.Timeout | null = null;

  constructor(private readonly client: MqttClient) {}

  /** 0: keepalive is off. */
  private get periodMs(): number {
    return (this.client.options.keepalive ?? 0) * 1000;
  }

  /** A message was read from the broker: the connection is alive. */
  handled(nowMs: number): void {
    // A quarter period at most: MQTT.js pings after one period without a reset.
    if (nowMs - this.lastRescheduleMs < Math.min(RESCHEDULE_EVERY_MS, this.periodMs / 4)) return;
    this.alive(nowMs);
  }

  /** Reading stops until `resume()`. */
  hold(): void {
    const periodMs = this.periodMs;
    if (this.holder || !periodMs) return;
    this.holder = setInterval(() => this.alive(Date.now()), periodMs / 4);
    this.holder.unref();
  }

  /** Reading goes on (or the connection is gone). */
  resume(): void {
    if (!this.holder) return;
    clearInterval(this.holder);
    this.holder = null;
  }

  private alive(nowMs: number): void {
    if (!this.periodMs || !this.client.connected) return;
    this.lastRescheduleMs = nowMs;
    this.client.reschedulePing(true);
    if (nowMs - this.lastPingMs < this.periodMs / 2) return;
    this.lastPingMs = nowMs;
    this.client.sendPing();
  }
}
