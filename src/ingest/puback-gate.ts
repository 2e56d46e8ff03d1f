import { MqttClient } from 'mqtt';
import { ConsumerKeepalive } from './consumer-keepalive';
import { encodePubacks } from './puback-encoding';

interface Packet {
  cmd: string;
  messageId?: number;
  qos?: number;
}
type Done = (err?: Error) => void;
type SendPacket = (packet: Packet, cb?: Done, cbStorePut?: unknown, noStore?: boolean) => void;
type HandleMessage = (packet: Packet, callback: Done) => void;
interface PatchableClient {
  _sendPacket: SendPacket;
  handleMessage: HandleMessage;
}

/** Identifies one received QoS 1 message within one connection. */
export interface AckToken {
  messageId: number;
  generation: number;
}

/** At this many uncommitted messages the client stops reading from the broker. */
export const DEFAULT_HIGH_WATER = 5_000;

/** Reading stops once this many messages wait for their commit. */
export function mustHoldIntake(uncommitted: number, highWater: number): boolean {
  return uncommitted >= highWater;
}

/** Reading resumes only well below the mark, so that intake does not flap on every commit. */
export function mayResumeIntake(uncommitted: number, highWater: number): boolean {
  return uncommitted < highWater / 2;
}

/**
 * At-least-once without serializing ingest: MQTT.js handles incoming packets one at a time and
 * sends a QoS 1 PUBACK as soon as the message handler returns, so holding that handler until
 * a database commit would allow one message per commit. Instead this class lets MQTT.js go on
 * at full speed and holds back only the PUBACK *write* until `release()` says the message is
 * committed. Unreleased messages stay un-acknowledged at the broker, which redelivers them
 * after a crash or reconnect (persistent session).
 *
 * Back-pressure: past `highWater` uncommitted messages it does hold MQTT.js's `handleMessage`
 * callback, the documented hook after which the client reads the next packet. Nothing else
 * works: `stream.pause()` is undone by the client's own pipe. With reading stopped, TCP flow
 * control makes the broker keep the rest.
 *
 * Construct it before the client connects: a persistent session's queue arrives right after
 * CONNACK, and whatever MQTT.js handles without this gate is acknowledged uncommitted.
 *
 * Messages of an earlier connection that are still uncommitted count toward the mark too: the
 * broker redelivers them on the new connection, and without them in the count each reconnect
 * during a database outage would take in another `highWater` messages.
 *
 * Released PUBACKs go out as one write (encodePubacks); MQTT.js's reason codes other than
 * success (its `customHandleAcks` option) are therefore not supported.
 *
 * It relies on one MQTT.js internal, `client._sendPacket(packet, cb)`; puback-gate.spec.ts
 * fails if an upgrade changes that.
 */
export class PubackGate {
  private readonly original: SendPacket;
  /** QoS 1 messages of this connection handed to the application and not yet released. */
  private readonly uncommitted = new Set<number>();
  /** Messages whose PUBACK MQTT.js wants to write, waiting for their commit. */
  private readonly held = new Set<number>();
  /** Released while reading was held, before MQTT.js asked to acknowledge them. */
  private readonly releasedEarly = new Set<number>();
  private parked: (() => void) | null = null;
  private generation = 0;
  /** Admitted on earlier connections and not yet released. */
  private earlier = 0;
  private readonly keepalive: ConsumerKeepalive;

  constructor(
    private readonly client: MqttClient,
    private readonly highWater = DEFAULT_HIGH_WATER,
  ) {
    if (!(highWater >= 1)) throw new Error(`highWater must be at least 1, not ${highWater}`);
    const patchable = client as unknown as PatchableClient;
    if (typeof patchable._sendPacket !== 'function') {
      throw new Error('MQTT.js no longer has _sendPacket: the PUBACK gate cannot defer acknowledgements');
    }
    this.original = patchable._sendPacket.bind(client);
    this.keepalive = new ConsumerKeepalive(client);
    patchable._sendPacket = (packet, cb, cbStorePut, noStore) =>
      packet.cmd === 'puback' && packet.messageId !== undefined ? this.deferPuback(packet, cb) : this.original(packet, cb, cbStorePut, noStore);
    patchable.handleMessage = (packet, callback) => this.admit(packet, callback);
    client.on('close', () => this.forgetConnection());
  }

  /** The token to release once the message received now is committed. */
  token(messageId: number): AckToken {
    return { messageId, generation: this.generation };
  }

  /** Messages received and not yet released. */
  get pending(): number {
    return this.uncommitted.size;
  }

  /** True while the client is kept from reading the next packet. */
  get holding(): boolean {
    return this.parked !== null;
  }

  /** Admitted and not yet released, this connection's and earlier ones'. */
  get uncommittedAll(): number {
    return this.uncommitted.size + this.earlier;
  }

  release(tokens: AckToken[]): void {
    const acks: number[] = [];
    let earlier = 0;
    for (const { messageId, generation } of tokens) {
      if (generation !== this.generation) earlier++;
      else if (this.uncommitted.delete(messageId)) {
        if (this.held.delete(messageId)) acks.push(messageId);
        else this.releasedEarly.add(messageId);
      }
    }
    this.earlier = Math.max(0, this.earlier - earlier);
    this.writePubacks(acks);
    this.resumeIfDrained();
  }

  /** MQTT.js calls this after emitting 'message'; it reads on only once `next` is called. */
  private admit(packet: Packet, next: Done): void {
    this.keepalive.handled(Date.now());
    if (packet.qos === 1 && packet.messageId !== undefined) this.uncommitted.add(packet.messageId);
    if (!mustHoldIntake(this.uncommittedAll, this.highWater)) return next();
    this.parked = () => next();
    this.keepalive.hold();
  }

  private deferPuback(packet: Packet, cb?: Done): void {
    const id = packet.messageId!;
    if (this.releasedEarly.delete(id)) this.writePubacks([id]);
    // An acknowledgement this connection did not admit is never written: redelivery is safe.
    else if (this.uncommitted.has(id)) this.held.add(id);
    // Tell MQTT.js the packet is handled so it reads the next one now.
    cb?.();
  }

  private writePubacks(messageIds: number[]): void {
    // Disconnected, MQTT.js would queue a PUBACK for the next connection, where the same message
    // id may name another message; this writes only to the connection that read them.
    if (messageIds.length && this.client.connected) this.client.stream.write(encodePubacks(messageIds));
  }

  private resumeIfDrained(): void {
    if (!this.parked || !mayResumeIntake(this.uncommittedAll, this.highWater)) return;
    const next = this.parked;
    this.parked = null;
    this.keepalive.resume();
    next();
  }

  /**
   * A new connection: the broker will redeliver whatever we did not acknowledge, so state of
   * the old one must never reach the new one. A held `handleMessage` callback is dropped, not
   * called: calling it would let MQTT.js go on with packets already read from the dead
   * connection and hand them out under the new connection's tokens.
   */
  private forgetConnection(): void {
    this.generation++;
    this.earlier += this.uncommitted.size;
    this.uncommitted.clear();
    this.held.clear();
    this.releasedEarly.clear();
    this.parked = null;
    this.keepalive.resume();
  }
}
