import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { makeTestCertificates, TestCertificates } from '../../test/support/test-certificates';
import { ConfigError, loadConfig } from './app-config';
import { readTlsMaterial } from './tls-material';

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

  it('reads the security-event and webhook settings, and refuses bad ones naming the variable', () => {
    const config = loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'siem.local, 10.0.0.0/8', SECURITY_EVENTS_DETECTION: 'false' });
    expect(config.webhookAllowedHosts).toEqual([
      { kind: 'host', name: 'siem.local' },
      { kind: 'cidr', address: '10.0.0.0', prefix: 8, family: 'ipv4' },
    ]);
    expect(config).toMatchObject({ SECURITY_EVENTS_DETECTION: false, SECURITY_EVENT_EXPOSURE_MIN_SEVERITY: 'high', WEBHOOK_RETRY_WINDOW_S: 90_000 });
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/40' })).toThrow(/WEBHOOK_ALLOWED_HOSTS="10.0.0.0\/40": "10.0.0.0\/40" is not an address range/);
    expect(() => loadConfig({ WEBHOOK_RETRY_WINDOW_S: '3600' })).toThrow(/WEBHOOK_RETRY_WINDOW_S="3600": must be at least 86400/);
    expect(() => loadConfig({ SECURITY_EVENT_EXPOSURE_MIN_SEVERITY: 'severe' })).toThrow(/SECURITY_EVENT_EXPOSURE_MIN_SEVERITY/);
  });

  it('rejects a database URL that is not postgres', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
  });

  it('rejects a boolean it cannot read', () => {
    expect(() => loadConfig({ MQTT_ALLOW_ANONYMOUS: 'maybe' })).toThrow(/MQTT_ALLOW_ANONYMOUS/);
  });

  it('applies the security defaults: 15-minute sessions, 10 logins and 1000 writes a minute per address, no CORS origin', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ SESSION_TTL_S: 900, RATE_LIMIT_AUTH_PER_MIN: 10, RATE_LIMIT_WRITES_PER_MIN: 1000 });
    expect(config.IOMT_DATA_KEY).toBeUndefined();
    expect(config.corsOrigins).toEqual([]);
  });

  it('reads a list of CORS origins and refuses anything that is not one', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://cmms.hospital.example, http://localhost:8080' }).corsOrigins).toEqual([
      'https://cmms.hospital.example',
      'http://localhost:8080',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS="\*": must be a comma-separated list of origins/);
  });

  it('takes a 32-byte base64 data key and never echoes a wrong one', () => {
    expect(loadConfig({ IOMT_DATA_KEY: Buffer.alloc(32, 7).toString('base64') }).IOMT_DATA_KEY).toHaveLength(44);
    let message = '';
    try {
      loadConfig({ IOMT_DATA_KEY: Buffer.alloc(16, 7).toString('base64') });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/IOMT_DATA_KEY=\(hidden\): must be 32 bytes, base64-encoded/);
    expect(message).not.toContain(Buffer.alloc(16, 7).toString('base64'));
  });

  it('takes a previous data key during a rotation, only beside a current one, and never echoes it', () => {
    const [a, b] = [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')];
    expect(loadConfig({ IOMT_DATA_KEY: b, IOMT_DATA_KEY_PREVIOUS: a }).IOMT_DATA_KEY_PREVIOUS).toBe(a);
    expect(() => loadConfig({ IOMT_DATA_KEY_PREVIOUS: a })).toThrow(/IOMT_DATA_KEY_PREVIOUS=\(hidden\): needs IOMT_DATA_KEY/);
    let message = '';
    try {
      loadConfig({ IOMT_DATA_KEY: b, IOMT_DATA_KEY_PREVIOUS: 'c2hvcnQ=' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/IOMT_DATA_KEY_PREVIOUS=\(hidden\): must be 32 bytes, base64-encoded/);
    expect(message).not.toContain('c2hvcnQ=');
  });

  it('refuses a bootstrap admin key that would look like a session or challenge token', () => {
    expect(() => loadConfig({ IOMT_BOOTSTRAP_ADMIN_KEY: 'iomts_aaaaaaaaaaaaaaaaaaaaaaaaaaaa' })).toThrow(/must not start with iomts_ or iomtc_/);
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

describe('loadConfig: TLS and the embedded broker limits', () => {
  let certs: TestCertificates;
  let other: TestCertificates;
  beforeAll(() => {
    certs = makeTestCertificates();
    other = makeTestCertificates();
  });
  afterAll(() => {
    certs?.remove();
    other?.remove();
  });

  it('has no TLS by default, a 16 KiB MQTT packet limit and the TLS listener on 8883', () => {
    expect(loadConfig({})).toMatchObject({ tls: null, MQTT_MAX_PACKET_BYTES: 16_384, MQTT_TLS_PORT: 8883, MQTT_ALLOW_PLAINTEXT: false });
  });

  it('reads the certificate, key and CA, and keeps the certificate fingerprint', () => {
    const config = loadConfig({ TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.keyFile, TLS_CA_FILE: certs.caFile });
    expect(config.tls).toMatchObject({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile), ca: readFileSync(certs.caFile) });
    expect(config.tls!.fingerprint256).toBe(new X509Certificate(readFileSync(certs.certFile)).fingerprint256);
  });

  it('refuses a certificate without a key, and a key without a certificate', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: certs.certFile })).toThrow(/TLS_KEY_FILE: must be set too/);
    expect(() => loadConfig({ TLS_KEY_FILE: certs.keyFile })).toThrow(/TLS_CERT_FILE: must be set too/);
    expect(() => loadConfig({ TLS_CA_FILE: certs.caFile })).toThrow(/TLS_CA_FILE=.*needs TLS_CERT_FILE and TLS_KEY_FILE/);
  });

  it('names a file it cannot read', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: certs.keyFile })).toThrow(
      /TLS_CERT_FILE="\/nonexistent\/cert.pem": cannot be read \(ENOENT\)/,
    );
  });

  it("refuses a key that is not the certificate's, and a file that is not a certificate", () => {
    expect(() => loadConfig({ TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: other.keyFile })).toThrow(
      /TLS_KEY_FILE=.*is not the private key of TLS_CERT_FILE's certificate/,
    );
    expect(() => loadConfig({ TLS_CERT_FILE: certs.keyFile, TLS_KEY_FILE: certs.keyFile })).toThrow(/TLS_CERT_FILE=.*is not a PEM certificate/);
  });

  it('refuses an expired certificate', () => {
    const later = new Date(Date.now() + 30 * 86_400_000);
    expect(readTlsMaterial({ TLS_CERT_FILE: certs.certFile, TLS_KEY_FILE: certs.keyFile }, later)).toEqual({
      errors: [expect.stringMatching(/the certificate expired on/)],
    });
  });

  it('refuses an MQTT packet limit too small for a heartbeat to arrive', () => {
    expect(() => loadConfig({ MQTT_MAX_PACKET_BYTES: '4096' })).toThrow(/MQTT_MAX_PACKET_BYTES="4096": must be at least 9216/);
    expect(loadConfig({ MQTT_MAX_PACKET_BYTES: '65536' }).MQTT_MAX_PACKET_BYTES).toBe(65_536);
  });
});
