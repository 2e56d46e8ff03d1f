import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the contract defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, MQTT_PORT: 1883, DATA_DIR: './data', MQTT_ALLOW_ANONYMOUS: false, HEARTBEAT_OFFLINE_AFTER_S: 300 });
    expect(config.embeddedDatabase).toBe(true);
    expect(config.embeddedBroker).toBe(true);
  });

  it('parses numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', MQTT_ALLOW_ANONYMOUS: 'true', HEARTBEAT_OFFLINE_AFTER_S: '60' });
    expect(config).toMatchObject({ PORT: 8080, MQTT_ALLOW_ANONYMOUS: true, HEARTBEAT_OFFLINE_AFTER_S: 60 });
  });

  it('names the variable and what it expects for a bad port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty": .*PORT must be an integer number/);
  });

  it('rejects a database URL that is not postgres', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
  });

  it('rejects a boolean it cannot read', () => {
    expect(() => loadConfig({ MQTT_ALLOW_ANONYMOUS: 'maybe' })).toThrow(/MQTT_ALLOW_ANONYMOUS/);
  });

  it('never echoes a too-short bootstrap admin key', () => {
    let message = '';
    try {
      loadConfig({ IOMT_BOOTSTRAP_ADMIN_KEY: 'short-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/IOMT_BOOTSTRAP_ADMIN_KEY=\(hidden\): must be at least 24 characters/);
    expect(message).not.toContain('short-secret');
  });
});
