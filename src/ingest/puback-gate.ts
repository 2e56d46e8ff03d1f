import { MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;
interface PatchableClient {
  _sendPacket: SendPacket;
}

/** Identifies one received QoS 1 message within one connection. */
export interface AckToken {
  messageId: number;
  generation: number;
}

/**
 * At-least-once without serializing ingest: MQTT.js handles incoming packets one at a time and
 * sends a QoS 1 PUBACK as soon as the message handler returns, so holding that handler until
 * a database commit would allow one message per commit. Instead this class lets MQTT.js go on
 * at full speed and holds back only the PUBACK *write* until `release()` says the message is
 * committed. Unreleased messages stay un-acknowledged at the broker, which redelivers them
 * after a crash or reconnect (persistent session).
 *
 * It relies on one MQTT.js internal, `client._sendPacket(packet, cb)`; puback-gate.spec.ts
 * fails if an upgrade changes that.
 */
export class PubackGate {
  private readonly original: SendPacket;
  private readonly held = new Map<number, { packet: { cmd: string; messageId?: number }; generation: number }>();
  private readonly releasedEarly = new Set<number>();
  private generation = 0;

  constructor(private readonly client: MqttClient) {
    const patchable = client as unknown as PatchableClient;
    if (typeof patchable._sendPacket !== 'function') {
      throw new Error('MQTT.js no longer has _sendPacket: the PUBACK gate cannot defer acknowledgements');
    }
    this.original = patchable._sendPacket.bind(client);
    patchable._sendPacket = (packet, cb, cbStorePut, noStore) => {
      if (packet.cmd !== 'puback' || packet.messageId === undefined) return this.original(packet, cb, cbStorePut, noStore);
      if (this.releasedEarly.delete(packet.messageId)) return this.original(packet, cb, cbStorePut, noStore);
      this.held.set(packet.messageId, { packet, generation: this.generation });
      // Tell MQTT.js the packet is handled so it reads the next one now.
      cb?.();
    };
    // A new connection: the broker will redeliver whatever we did not acknowledge, so
    // acknowledgements held for the old connection must never be written to the new one.
    client.on('close', () => {
      this.generation++;
      this.held.clear();
      this.releasedEarly.clear();
    });
  }

  /** The token to release once the message received now is committed. */
  token(messageId: number): AckToken {
    return { messageId, generation: this.generation };
  }

  get pending(): number {
    return this.held.size;
  }

  release(tokens: AckToken[]): void {
    for (const { messageId, generation } of tokens) {
      if (generation !== this.generation) continue;
      const entry = this.held.get(messageId);
      if (!entry) {
        this.releasedEarly.add(messageId);
        continue;
      }
      this.held.delete(messageId);
      if (this.client.connected) this.original(entry.packet);
    }
  }
}
