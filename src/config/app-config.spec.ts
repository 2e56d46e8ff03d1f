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

  it('takes a read-replica URL beside DATABASE_URL, and never echoes it (it carries a password)', () => {
    const primary = 'postgres://iomt:pw@db:5432/iomt';
    const replica = 'postgres://reader:secret@replica:5432/iomt';
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica }).DATABASE_READ_URL).toBe(replica);
    expect(loadConfig({ DATABASE_URL: primary }).DATABASE_READ_URL).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://reader:secret@replica/iomt' })).toThrow(
      /DATABASE_READ_URL=\(hidden\): must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://reader:secret@replica/iomt' })).not.toThrow(/secret/);
  });

  it('sizes the DATABASE_URL pool from DATABASE_POOL_SIZE, 10 when unset', () => {
    const url = 'postgres://iomt@db:5432/iomt';
    expect(loadConfig({ DATABASE_URL: url }).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '1' }).databasePoolSize).toBe(1);
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '' }).databasePoolSize).toBe(10);
  });

  it('refuses a DATABASE_POOL_SIZE that is not a whole number from 1 to 100, naming the variable', () => {
    const url = 'postgres://iomt@db:5432/iomt';
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '0' })).toThrow(
      /DATABASE_POOL_SIZE="0": must be a whole number of connections, at least 1/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '101' })).toThrow(/DATABASE_POOL_SIZE="101": must be at most 100/);
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: 'ten' })).toThrow(/DATABASE_POOL_SIZE="ten": .*must be an integer number/);
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '2.5' })).toThrow(/DATABASE_POOL_SIZE="2.5": .*must be an integer number/);
  });

  it('refuses DATABASE_POOL_SIZE without DATABASE_URL: the embedded database always has one connection', () => {
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '4' })).toThrow(/DATABASE_POOL_SIZE="4": needs DATABASE_URL/);
  });

  it('refuses a read replica of the embedded database: DATABASE_READ_URL needs DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://reader:secret@replica:5432/iomt' })).toThrow(/DATABASE_READ_URL=\(hidden\): needs DATABASE_URL/);
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

describe('loadConfig: threat-intelligence feeds', () => {
  it('pulls nothing by default, and daily once a feed URL is set', () => {
    expect(loadConfig({})).toMatchObject({ KEV_URL: undefined, EPSS_URL: undefined, THREAT_INTEL_PULL_INTERVAL_S: 86_400 });
    const config = loadConfig({
      KEV_URL: 'https://mirror.hospital.local/kev.json',
      EPSS_URL: 'http://127.0.0.1:8080/epss.csv.gz',
      THREAT_INTEL_PULL_INTERVAL_S: '3600',
    });
    expect(config).toMatchObject({
      KEV_URL: 'https://mirror.hospital.local/kev.json',
      EPSS_URL: 'http://127.0.0.1:8080/epss.csv.gz',
      THREAT_INTEL_PULL_INTERVAL_S: 3600,
    });
  });

  it('refuses a feed URL that is not http(s), without echoing it (it may carry a token)', () => {
    let message = '';
    try {
      loadConfig({ KEV_URL: 'ftp://user:s3cret@mirror/kev.json', EPSS_URL: 'not a url' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/KEV_URL=\(hidden\): must be an http:\/\/ or https:\/\/ URL/);
    expect(message).toMatch(/EPSS_URL=\(hidden\): must be an http:\/\/ or https:\/\/ URL/);
    expect(message).not.toContain('s3cret');
  });

  it('refuses a pull interval under a minute', () => {
    expect(() => loadConfig({ THREAT_INTEL_PULL_INTERVAL_S: '10' })).toThrow(/THREAT_INTEL_PULL_INTERVAL_S="10": .*must not be less than 60/);
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

describe('loadConfig: syslog', () => {
  let certs: TestCertificates;
  beforeAll(() => (certs = makeTestCertificates()));
  afterAll(() => certs.remove());

  it('sends nothing by default: no target, audit off, facility local0, a 1 s poll and 2048-byte datagrams', () => {
    expect(loadConfig({})).toMatchObject({
      syslog: null,
      SYSLOG_AUDIT: false,
      SYSLOG_FACILITY: 'local0',
      SYSLOG_POLL_INTERVAL_MS: 1000,
      SYSLOG_UDP_MAX_BYTES: 2048,
    });
  });

  it('parses tcp, udp and tls URLs, IPv6 literals, and reads the extra CA for tls', () => {
    expect(loadConfig({ SYSLOG_URL: 'tcp://siem.hospital.example:6514' }).syslog).toEqual({ protocol: 'tcp', host: 'siem.hospital.example', port: 6514 });
    expect(loadConfig({ SYSLOG_URL: 'udp://[::1]:514' }).syslog).toEqual({ protocol: 'udp', host: '::1', port: 514 });
    const tls = loadConfig({ SYSLOG_URL: 'tls://127.0.0.1:6514', SYSLOG_CA_FILE: certs.caFile, SYSLOG_AUDIT: 'true', SYSLOG_FACILITY: 'authpriv' });
    expect(tls.syslog).toEqual({ protocol: 'tls', host: '127.0.0.1', port: 6514, ca: readFileSync(certs.caFile) });
    expect(tls).toMatchObject({ SYSLOG_AUDIT: true, SYSLOG_FACILITY: 'authpriv' });
  });

  it('names the variable for a wrong scheme, a missing or out-of-range port, a bad IPv6 literal or an unknown facility', () => {
    expect(() => loadConfig({ SYSLOG_URL: 'http://siem:514' })).toThrow(
      /SYSLOG_URL="http:\/\/siem:514": must be tcp:\/\/host:port, tls:\/\/host:port or udp:\/\/host:port/,
    );
    expect(() => loadConfig({ SYSLOG_URL: 'tcp://siem' })).toThrow(/SYSLOG_URL="tcp:\/\/siem": must be tcp/);
    expect(() => loadConfig({ SYSLOG_URL: 'tcp://siem:70000' })).toThrow(/SYSLOG_URL="tcp:\/\/siem:70000": the port must be 1-65535/);
    expect(() => loadConfig({ SYSLOG_URL: 'tcp://siem:0' })).toThrow(/the port must be 1-65535/);
    expect(() => loadConfig({ SYSLOG_URL: 'udp://[1.2.3]:514' })).toThrow(/is not an IPv6 address/);
    expect(() => loadConfig({ SYSLOG_FACILITY: 'local9' })).toThrow(/SYSLOG_FACILITY="local9": must be one of kern, user/);
  });

  it('refuses a CA file without tls://, an unreadable one and one that is not a certificate', () => {
    expect(() => loadConfig({ SYSLOG_CA_FILE: certs.caFile })).toThrow(/SYSLOG_CA_FILE=.*needs SYSLOG_URL=tls:\/\/host:port/);
    expect(() => loadConfig({ SYSLOG_URL: 'tcp://siem:514', SYSLOG_CA_FILE: certs.caFile })).toThrow(/SYSLOG_CA_FILE=.*only used with SYSLOG_URL=tls/);
    expect(() => loadConfig({ SYSLOG_URL: 'tls://siem:6514', SYSLOG_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/SYSLOG_CA_FILE=.*cannot be read \(ENOENT\)/);
    expect(() => loadConfig({ SYSLOG_URL: 'tls://siem:6514', SYSLOG_CA_FILE: certs.keyFile })).toThrow(/SYSLOG_CA_FILE=.*is not a PEM certificate/);
  });

  it('refuses a poll interval and a datagram size outside their bounds', () => {
    expect(() => loadConfig({ SYSLOG_POLL_INTERVAL_MS: '10' })).toThrow(/SYSLOG_POLL_INTERVAL_MS="10"/);
    expect(() => loadConfig({ SYSLOG_UDP_MAX_BYTES: '100' })).toThrow(/SYSLOG_UDP_MAX_BYTES="100": must be at least 480/);
    expect(() => loadConfig({ SYSLOG_AUDIT: 'sometimes' })).toThrow(/SYSLOG_AUDIT/);
  });
});
