import { randomUUID } from 'node:crypto';
import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { EmbeddedBroker } from '../src/mqtt/embedded-broker';
import { PubackGate } from '../src/ingest/puback-gate';

// These tests fail if an MQTT.js upgrade changes how it sends PUBACKs: they run a real broker
// (the embedded one, on a port of its own), so they live with the e2e tests, not the unit ones.
describe('PubackGate against a real broker', () => {
  let broker: EmbeddedBroker;
  let url: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = new EmbeddedBroker(true);
    url = `mqtt://127.0.0.1:${await broker.listen(0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  });
  afterAll(async () => {
    await broker.close();
  });

  async function subscriber(clientId: string, highWater?: number, options: IClientOptions = {}) {
    const client = await connectAsync(url, { clientId, clean: false, reconnectPeriod: 0, ...options });
    clients.push(client);
    const gate = new PubackGate(client, highWater);
    const received: Array<{ payload: string; messageId: number }> = [];
    client.on('message', (_t, payload, packet) => received.push({ payload: payload.toString(), messageId: packet.messageId! }));
    await client.subscribeAsync('gate/test/#', { qos: 1 });
    return { client, gate, received };
  }

  async function publish(n: number, topic = 'gate/test/x') {
    const pub = await connectAsync(url, { reconnectPeriod: 0 });
    clients.push(pub);
    for (let i = 0; i < n; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
  }

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cond()).toBe(true);
  };

  it('keeps receiving while acknowledgements are held (ingest is not serialized)', async () => {
    const { gate, received } = await subscriber(`s-${randomUUID()}`);
    await publish(50);
    await until(() => received.length === 50);
    expect(gate.pending).toBe(50);
  });

  it('holds the PUBACK: an unreleased message is redelivered to the next session', async () => {
    const id = `s-${randomUUID()}`;
    const first = await subscriber(id);
    await publish(1);
    await until(() => first.received.length === 1);
    await first.client.endAsync(true);

    const second = await subscriber(id);
    await until(() => second.received.length === 1);
    expect(second.received[0].payload).toBe('m0');
  });

  it('writes the PUBACK on release: a released message is not redelivered', async () => {
    const id = `s-${randomUUID()}`;
    const first = await subscriber(id);
    await publish(1);
    await until(() => first.received.length === 1);
    first.gate.release([first.gate.token(first.received[0].messageId)]);
    expect(first.gate.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    await first.client.endAsync(true);

    const second = await subscriber(id);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.received).toEqual([]);
  });

  it('never writes an acknowledgement held by an earlier connection', async () => {
    const { client, gate, received } = await subscriber(`s-${randomUUID()}`);
    await publish(1);
    await until(() => received.length === 1);
    const stale = gate.token(received[0].messageId);
    client.stream.destroy();
    await until(() => gate.pending === 0);
    expect(() => gate.release([stale])).not.toThrow();
  });

  describe('back-pressure', () => {
    const tokensOf = (gate: PubackGate, received: Array<{ messageId: number }>) => received.map((m) => gate.token(m.messageId));
    // Proving that nothing more arrives takes a wait; it bounds no performance.
    const settle = () => new Promise((r) => setTimeout(r, 200));

    it('stops reading once the high-water mark of uncommitted messages is reached', async () => {
      const { gate, received } = await subscriber(`s-${randomUUID()}`, 4);
      await publish(10);
      await until(() => received.length === 4);
      await settle();
      expect(received).toHaveLength(4);
      expect(gate.holding).toBe(true);
    });

    it('resumes reading only when the uncommitted messages drop below half the mark', async () => {
      const { gate, received } = await subscriber(`s-${randomUUID()}`, 4);
      await publish(10);
      await until(() => received.length === 4);
      gate.release(tokensOf(gate, received.slice(0, 2)));
      await settle();
      expect(received).toHaveLength(4);
      expect(gate.holding).toBe(true);

      gate.release(tokensOf(gate, received.slice(2, 3)));
      // 1 left uncommitted, then 3 more read: the mark again.
      await until(() => received.length === 7);
      await settle();
      expect(received).toHaveLength(7);
      expect(gate.holding).toBe(true);
    });

    it('acknowledges a message released while reading was held, so it is not redelivered', async () => {
      const id = `s-${randomUUID()}`;
      const first = await subscriber(id, 2);
      await publish(6);
      for (let n = 2; n <= 6; n += 2) {
        await until(() => first.received.length === n);
        // Each batch includes the message whose handling is held at the mark.
        first.gate.release(tokensOf(first.gate, first.received.slice(n - 2, n)));
      }
      expect(first.gate.pending).toBe(0);
      expect(first.gate.holding).toBe(false);
      await settle();
      await first.client.endAsync(true);

      const second = await subscriber(id, 2);
      await settle();
      expect(second.received).toEqual([]);
    });
  });

  describe('keepalive', () => {
    // MQTT.js's shortest keepalive: it gives up 1.5 s after an unanswered ping; so does the broker
    // without a packet from the client. Proving that neither happened takes a wait of a few periods.
    const keepalive = 1;
    const periods = (n: number) => new Promise((r) => setTimeout(r, n * keepalive * 1000));

    it('stays connected while reading is held for several keepalive periods', async () => {
      const { client, gate, received } = await subscriber(`s-${randomUUID()}`, 2, { keepalive });
      let closed = 0;
      client.on('close', () => closed++);
      await publish(4);
      await until(() => received.length === 2 && gate.holding);
      await periods(4);
      expect(closed).toBe(0);

      gate.release(received.map((m) => gate.token(m.messageId)));
      await until(() => received.length === 4);
      expect(closed).toBe(0);
    });

    it('stays connected while messages flow and none is acknowledged', async () => {
      const { client, received } = await subscriber(`s-${randomUUID()}`, undefined, { keepalive });
      let closed = 0;
      client.on('close', () => closed++);
      const pub = await connectAsync(url, { reconnectPeriod: 0 });
      clients.push(pub);
      for (let i = 0; i < 30; i++) {
        await pub.publishAsync('gate/test/x', `m${i}`, { qos: 1 });
        await periods(0.1);
      }
      await until(() => received.length === 30);
      expect(closed).toBe(0);
    });

    it('counts each message read as a sign of life, so a PINGRESP queued behind them cannot time the connection out', async () => {
      const { client, received } = await subscriber(`s-${randomUUID()}`, undefined, { keepalive });
      const deadlineBefore = client.keepaliveManager.keepaliveTimeoutTimestamp!;
      await periods(0.5);
      await publish(1);
      await until(() => received.length === 1);
      // MQTT.js alone moves this deadline only for acknowledgements and PINGRESPs.
      expect(client.keepaliveManager.keepaliveTimeoutTimestamp).toBeGreaterThan(deadlineBefore);
    });
  });

  it('counts the uncommitted messages of an earlier connection toward the high-water mark', async () => {
    const { client, gate, received } = await subscriber(`s-${randomUUID()}`, 4, { reconnectPeriod: 50 });
    await publish(4);
    await until(() => received.length === 4 && gate.holding);
    const firstConnection = received.splice(0).map((m) => gate.token(m.messageId));
    client.stream.destroy();

    // The broker redelivers the 4 on the new connection; with the 4 still uncommitted from the
    // first, the gate holds after the first of them.
    await until(() => received.length === 1 && gate.holding);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    expect(gate.uncommittedAll).toBe(5);

    gate.release(firstConnection);
    await until(() => received.length === 4);
    expect(gate.uncommittedAll).toBe(4);
  });
});
