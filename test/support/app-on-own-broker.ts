import { RestartableBroker, startRestartableBroker } from './standalone-broker';
import { startTestApp, TestApp } from './test-app';

export interface AppOnOwnBroker {
  /** Set before the block's first test. */
  t: TestApp;
  broker: RestartableBroker;
}

/**
 * For a describe block: a test app connected to an Aedes broker of its own (startRestartableBroker:
 * always Aedes, even with TEST_MQTT_URL), started before the block's tests and closed after them.
 */
export function appOnOwnBroker(): AppOnOwnBroker {
  const suite = {} as AppOnOwnBroker;
  beforeAll(async () => {
    suite.broker = await startRestartableBroker();
    suite.t = await startTestApp({ env: { MQTT_URL: suite.broker.url } });
  });
  afterAll(async () => {
    await suite.t?.close();
    await suite.broker?.close();
  });
  return suite;
}
