import { connectAsync, MqttClient } from 'mqtt';
import { BrokerAuthenticator } from './broker-authenticator';
import { EmbeddedBroker } from './embedded-broker';

/** Devices "dev-a" and "dev-b", password "pw"; a check can be held open to race a revocation. */
class HeldAuthenticator implements BrokerAuthenticator {
  hold: Promise<void> | null = null;
  started: (() => void) | null = null;

  async verify(username: string, password: Buffer): Promise<string | null> {
    this.started?.();
    if (this.hold) await this.hold;
    return password.toString() === 'pw' ? username : null;
  }
}

// A real broker and real MQTT clients: revocation is about live connections.
describe('EmbeddedBroker revocation', () => {
  let broker: EmbeddedBroker;
  let url: string;
  const auth = new HeldAuthenticator();
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = new EmbeddedBroker(false, { serviceClientId: 'the-service' });
    broker.setAuthenticator(auth);
    url = `mqtt://127.0.0.1:${await broker.listen(0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    auth.hold = null;
    auth.started = null;
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  });
  afterAll(async () => {
    await broker.close();
  });

  const login = async (username: string) => {
    const client = await connectAsync(url, { username, password: 'pw', reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(client);
    return client;
  };
  const closed = (client: MqttClient) => new Promise<void>((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));

  it("closes every session of the revoked device and no other device's", async () => {
    const a1 = await login('dev-a');
    const a2 = await login('dev-a');
    const b = await login('dev-b');
    expect(broker.endSessionsOf('dev-a')).toBe(2);
    await Promise.all([closed(a1), closed(a2)]);
    expect(b.connected).toBe(true);
    await b.publishAsync('iomt/v1/devices/dev-b/heartbeat', '{}', { qos: 1 });
  });

  it('refuses a login whose password check was under way when the device was revoked', async () => {
    let release!: () => void;
    auth.hold = new Promise((r) => (release = r));
    const checking = new Promise<void>((r) => (auth.started = r));
    const attempt = connectAsync(url, { username: 'dev-a', password: 'pw', reconnectPeriod: 0, connectTimeout: 5000 });
    await checking;
    broker.endSessionsOf('dev-a');
    release();
    await expect(attempt).rejects.toThrow(/Bad username or password/);
    // A login that starts after the revocation is a new one (the new password, in real life).
    await login('dev-a');
  });

  it("refuses the service's client id to anyone but the service", async () => {
    await expect(connectAsync(url, { clientId: 'the-service', username: 'dev-a', password: 'pw', reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow(
      /Identifier rejected/,
    );
    const service = await connectAsync(url, {
      clientId: 'the-service',
      username: broker.serviceUsername,
      password: broker.servicePassword,
      reconnectPeriod: 0,
    });
    clients.push(service);
  });
});
