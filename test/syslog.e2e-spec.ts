import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, Server, TLSSocket } from 'node:tls';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDevice, createManufacturer, seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { connectDevice, publishHeartbeat } from './support/mqtt-device';
import { freeTcpPort, prepareRsyslog, Rsyslog } from './support/rsyslog';
import { insertSecurityEventsBySql } from './support/security-events-by-sql';
import { parseSyslogLine, SyslogLine, syslogLines } from './support/syslog-lines';
import { makeTestCertificates, TestCertificates } from './support/test-certificates';
import { createTestDatabase, dropTestDatabase, startTestApp, TestApp, usingRealServices } from './support/test-app';

/**
 * Security events and audit entries reach the hospital's SIEM: a real rsyslog started by the
 * test receives them over TCP and UDP; TLS goes to a Node TLS server, because the Debian rsyslog
 * package has no TLS driver (that is the separate rsyslog-gnutls package).
 *
 * One test goes end to end (an MQTT heartbeat that lowers a device's firmware, detected on the
 * ingest path); the others write events with SQL (insertSecurityEventsBySql), the way the detector
 * writes them, to arrange orders, gaps and open transactions a heartbeat cannot.
 */
const POLL = { SYSLOG_POLL_INTERVAL_MS: '100' };
/** Hooks and tests that boot an app: on a loaded two-core machine one boot has taken over 60 s. */
const BOOTS = 180_000;
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const dataSourceOf = (t: TestApp) => t.app.get(DataSource);
const metrics = async (t: TestApp) => (await t.api().get('/metrics').expect(200)).text;
/**
 * The ids delivered, in order of first arrival. Delivery is at least once: a batch whose cursor
 * could not be stored after it was sent (a database hiccup on a loaded machine) is sent again.
 */
const ids = (lines: SyslogLine[]) => [...new Set(lines.map((l) => l.params.id))];

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Syslog over TCP to a real rsyslog, with audit entries', () => {
  let rsyslog: Rsyslog;
  let t: TestApp;
  let databaseUrl: string | null;
  let dataDir: string;

  // A database that outlives one app instance, so the service can be restarted on it.
  const boot = () =>
    startTestApp({
      ...(databaseUrl ? { databaseUrl } : {}),
      env: {
        SYSLOG_URL: `tcp://127.0.0.1:${rsyslog.tcpPort}`,
        SYSLOG_AUDIT: 'true',
        ...POLL,
        ...(databaseUrl ? {} : { DATA_DIR: dataDir }),
      },
    });

  beforeAll(async () => {
    rsyslog = await prepareRsyslog();
    databaseUrl = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'iomt-syslog-data-'));
    t = await boot();
  }, BOOTS);
  afterAll(async () => {
    await t?.close();
    await rsyslog?.remove();
    await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the backlog while the collector is down, then delivers every event and audit entry in order, skipping a rolled-back id', async () => {
    const manufacturer = await createManufacturer(t);
    const { modelId } = await seedModel(t);
    const device = await createDevice(t, modelId, { firmwareVersion: '2.4.1' });
    const db = dataSourceOf(t);
    const first = await insertSecurityEventsBySql(db, [
      { type: 'firmware_downgrade', deviceId: device.id, severity: 'high', details: { from: '2.4.1', to: '2.3.0' } },
      { type: 'unknown_device', severity: 'medium', details: { claimedId: 'not-registered' } },
    ]);
    // A rolled-back insert takes an id that never commits: the forwarder must not wait for it.
    await db
      .transaction(async (m) => {
        await insertSecurityEventsBySql(m, [{ type: 'address_changed', deviceId: device.id, severity: 'low' }]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const [last] = await insertSecurityEventsBySql(db, [
      { type: 'address_changed', deviceId: device.id, severity: 'low', details: { from: '10.0.0.5', to: '10.0.0.9' } },
    ]);
    expect(Number(last)).toBe(Number(first[1]) + 2);

    await until(async () => metricValue(await metrics(t), 'iomt_syslog_failures_total', { channel: 'security_events' }) > 0, 'a failed delivery');
    expect(metricValue(await metrics(t), 'iomt_syslog_lag_seconds', { channel: 'security_events' })).toBeGreaterThan(0);
    expect(rsyslog.lines()).toEqual([]);

    await rsyslog.start();
    const lines = await rsyslog.waitFor(
      (l) => syslogLines(l, 'events').length >= 3 && syslogLines(l, 'audit').some((a) => a.params.entityId === manufacturer.id),
    );

    const events = syslogLines(lines, 'events');
    expect(ids(events)).toEqual([...first, last]);
    const [downgrade, unknown, moved] = events;
    expect(downgrade).toEqual({
      pri: 16 * 8 + 3,
      timestamp: expect.stringMatching(ISO_MICROS),
      hostname: hostname(),
      appName: 'iomt-inventory',
      procId: String(process.pid),
      msgId: 'firmware_downgrade',
      sdId: 'iomt@32473',
      params: { id: first[0], type: 'firmware_downgrade', deviceId: device.id, severity: 'high', details: expect.any(String) },
      msg: `Security event firmware_downgrade (high) on device ${device.id}`,
      raw: expect.any(String),
    });
    expect(JSON.parse(downgrade.params.details)).toEqual({ from: '2.4.1', to: '2.3.0' });
    expect(unknown).toMatchObject({
      pri: 132,
      msgId: 'unknown_device',
      params: { id: first[1], type: 'unknown_device', severity: 'medium', details: '{"claimedId":"not-registered"}' },
    });
    expect(unknown.params.deviceId).toBeUndefined();
    expect(moved).toMatchObject({ pri: 133, msgId: 'address_changed', params: { deviceId: device.id, severity: 'low' } });

    // Every audit entry, in id order, the way GET /audit has them (hash included).
    await until(async () => {
      const all = (await t.api().get('/api/v1/audit?limit=500').expect(200)).body.items as Array<{ id: string }>;
      return ids(syslogLines(rsyslog.lines(), 'audit')).length === all.length;
    }, 'every audit entry');
    const audit = syslogLines(rsyslog.lines(), 'audit');
    const entries = ((await t.api().get('/api/v1/audit?limit=500').expect(200)).body.items as Array<Record<string, string>>).reverse();
    expect(ids(audit)).toEqual(entries.map((e) => e.id));
    const created = audit.find((a) => a.params.entityId === manufacturer.id)!;
    const entry = entries.find((e) => e.id === created.params.id)!;
    expect(created).toMatchObject({
      pri: 16 * 8 + 5,
      msgId: 'audit',
      timestamp: expect.stringMatching(ISO_MILLIS),
      msg: `Audit create manufacturer ${manufacturer.id} by api-key`,
    });
    expect(created.params).toMatchObject({ type: 'audit', action: 'create', entityType: 'manufacturer', actorKind: 'api-key', hash: entry.hash });
    expect(JSON.parse(created.params.changes)).toEqual({ name: manufacturer.name, aliases: [] });

    const text = await metrics(t);
    expect(metricValue(text, 'iomt_syslog_sent_total', { channel: 'security_events' })).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'iomt_syslog_sent_total', { channel: 'audit_log' })).toBeGreaterThanOrEqual(entries.length);
    expect(metricValue(text, 'iomt_syslog_lag_seconds', { channel: 'security_events' })).toBe(0);
    expect(metricValue(text, 'iomt_syslog_forwarding')).toBe(1);
  });

  it("sends the firmware_downgrade a real device's heartbeat causes: MQTT, detection on the ingest path, then the SIEM", async () => {
    const { modelId } = await seedModel(t);
    const device = await createDevice(t, modelId, { firmwareVersion: '2.0.0' });
    const client = await connectDevice(t.mqttUrl);
    try {
      await publishHeartbeat(client, device.id, { firmwareVersion: '1.0.0' });
      const lines = await rsyslog.waitFor((l) => syslogLines(l, 'events').some((x) => x.msgId === 'firmware_downgrade' && x.params.deviceId === device.id));
      const line = syslogLines(lines, 'events').find((x) => x.msgId === 'firmware_downgrade' && x.params.deviceId === device.id)!;
      // local0 (16) and "high" as syslog severity 3 (error).
      expect(line).toMatchObject({
        pri: 16 * 8 + 3,
        appName: 'iomt-inventory',
        sdId: 'iomt@32473',
        params: expect.objectContaining({ type: 'firmware_downgrade' }),
      });
    } finally {
      await client.endAsync();
    }
  });

  it('delivers what happened while the collector was stopped once it is back', async () => {
    const before = syslogLines(rsyslog.lines(), 'events');
    const failuresBefore = metricValue(await metrics(t), 'iomt_syslog_failures_total', { channel: 'security_events' });
    await rsyslog.stop();
    const added = await insertSecurityEventsBySql(dataSourceOf(t), [
      { type: 'decommissioned_device_heard', severity: 'critical' },
      { type: 'serial_mismatch', severity: 'medium' },
    ]);
    await until(
      async () => metricValue(await metrics(t), 'iomt_syslog_failures_total', { channel: 'security_events' }) > failuresBefore,
      'a failure while the collector is away',
    );
    await rsyslog.start();
    const lines = await rsyslog.waitFor((l) => syslogLines(l, 'events').length >= before.length + 2);
    expect(ids(syslogLines(lines, 'events'))).toEqual([...ids(before), ...added]);
    expect(
      syslogLines(lines, 'events')
        .slice(-2)
        .map((l) => l.pri),
    ).toEqual([16 * 8 + 2, 16 * 8 + 4]);
  });

  it(
    'resumes from the stored cursor after a restart of the service: nothing delivered before is sent again, nothing skipped',
    async () => {
      const before = ids(syslogLines(rsyslog.lines(), 'events'));
      const linesBefore = rsyslog.lines().length;
      await t.close();
      const whileDown: string[] = [];
      if (databaseUrl) {
        // Written while no service runs (a real database outlives it).
        const c = new Client({ connectionString: databaseUrl });
        await c.connect();
        try {
          whileDown.push(...(await insertSecurityEventsBySql(c, [{ type: 'unknown_device', severity: 'info' }])));
        } finally {
          await c.end();
        }
      }
      t = await boot();
      const after = await insertSecurityEventsBySql(dataSourceOf(t), [{ type: 'unknown_device', severity: 'low' }]);
      const lines = await rsyslog.waitFor((l) => syslogLines(l, 'events').some((e) => e.params.id === after[0]));
      expect(ids(syslogLines(lines, 'events'))).toEqual([...before, ...whileDown, ...after]);
      expect(ids(syslogLines(lines.slice(linesBefore), 'events'))).toEqual([...whileDown, ...after]);
    },
    BOOTS,
  );

  it('escapes a hostile name so it cannot forge structured data, and never sends a patient reference', async () => {
    const hostile = 'Evil"] [iomt@32473 id="0" type="audit"] \\';
    const manufacturer = await createManufacturer(t, { name: hostile });
    const { modelId } = await seedModel(t);
    const patientRef = `MRN-${Date.now()}`;
    const device = await createDevice(t, modelId, { patientRef });
    await t
      .api()
      .patch(`/api/v1/devices/${device.id}`)
      .send({ location: 'ICU 3', patientRef: `${patientRef}-2` })
      .expect(200);
    const lines = await rsyslog.waitFor((l) => syslogLines(l, 'audit').filter((a) => a.params.entityId === device.id).length >= 2);

    const named = syslogLines(lines, 'audit').find((a) => a.params.entityId === manufacturer.id)!;
    expect(named.sdId).toBe('iomt@32473');
    expect(JSON.parse(named.params.changes).name).toBe(hostile);
    expect(named.raw).toContain('Evil\\\\\\"\\] [iomt@32473 id=\\\\\\"0\\\\\\" type=\\\\\\"audit\\\\\\"\\] \\\\\\\\');

    const deviceLines = syslogLines(lines, 'audit').filter((a) => a.params.entityId === device.id);
    expect([...new Set(deviceLines.map((l) => l.params.action))]).toEqual(['create', 'update']);
    expect(JSON.parse(deviceLines.find((l) => l.params.action === 'update')!.params.changes)).toMatchObject({
      location: { to: 'ICU 3' },
      patientRef: '[redacted]',
    });
    expect(rsyslog.lines().join('\n')).not.toContain(patientRef);
  });

  if (usingRealServices.database) {
    it(
      'forwards from one replica at a time: a second one waits, and takes over when the first stops (PostgreSQL)',
      async () => {
        let firstStopped = false;
        const second = await startTestApp({
          databaseUrl: databaseUrl!,
          env: { SYSLOG_URL: `tcp://127.0.0.1:${rsyslog.tcpPort}`, SYSLOG_AUDIT: 'true', ...POLL },
        });
        try {
          const [id] = await insertSecurityEventsBySql(dataSourceOf(t), [{ type: 'unknown_device', severity: 'info' }]);
          await rsyslog.waitFor((l) => syslogLines(l, 'events').some((e) => e.params.id === id));
          expect(metricValue(await metrics(t), 'iomt_syslog_forwarding')).toBe(1);
          expect(metricValue(await metrics(second), 'iomt_syslog_forwarding')).toBe(0);
          expect(metricValue(await metrics(second), 'iomt_syslog_sent_total', { channel: 'security_events' })).toBe(0);

          await t.close();
          firstStopped = true;
          const [next] = await insertSecurityEventsBySql(dataSourceOf(second), [{ type: 'unknown_device', severity: 'low' }]);
          await rsyslog.waitFor((l) => syslogLines(l, 'events').some((e) => e.params.id === next));
          expect(metricValue(await metrics(second), 'iomt_syslog_forwarding')).toBe(1);
        } finally {
          await second.close();
          if (firstStopped) t = await boot();
        }
      },
      BOOTS,
    );

    it('is not held back by a transaction left open in another database of the same server (PostgreSQL)', async () => {
      const elsewhere = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await elsewhere.connect();
      try {
        await elsewhere.query('BEGIN');
        await elsewhere.query('SELECT pg_current_xact_id()');
        const [id] = await insertSecurityEventsBySql(dataSourceOf(t), [{ type: 'unknown_device', severity: 'info' }]);
        await rsyslog.waitFor((l) => syslogLines(l, 'events').some((e) => e.params.id === id));
      } finally {
        await elsewhere.query('ROLLBACK');
        await elsewhere.end();
      }
    });

    it('waits for an event whose transaction commits after a later id has, instead of skipping it (PostgreSQL)', async () => {
      const url = t.databaseUrl!;
      const slow = new Client({ connectionString: url });
      const fast = new Client({ connectionString: url });
      await slow.connect();
      await fast.connect();
      try {
        const before = ids(syslogLines(rsyslog.lines(), 'events'));
        await slow.query('BEGIN');
        const [early] = await insertSecurityEventsBySql(slow, [{ type: 'exposure_opened', severity: 'high' }]);
        const [late] = await insertSecurityEventsBySql(fast, [{ type: 'work_order_overdue', severity: 'medium' }]);
        expect(Number(late)).toBeGreaterThan(Number(early));
        // The committed later id is held back while the earlier one may still commit.
        await new Promise((r) => setTimeout(r, 1_000));
        expect(ids(syslogLines(rsyslog.lines(), 'events'))).toEqual(before);
        await slow.query('COMMIT');
        const lines = await rsyslog.waitFor((l) => syslogLines(l, 'events').length >= before.length + 2);
        expect(ids(syslogLines(lines, 'events'))).toEqual([...before, early, late]);
      } finally {
        await slow.end();
        await fast.end();
      }
    });
  }
});

describe('Syslog over UDP to a real rsyslog', () => {
  let rsyslog: Rsyslog;
  let t: TestApp;
  const MAX = 480;

  beforeAll(async () => {
    rsyslog = await prepareRsyslog();
    await rsyslog.start();
    t = await startTestApp({
      env: { SYSLOG_URL: `udp://127.0.0.1:${rsyslog.udpPort}`, SYSLOG_UDP_MAX_BYTES: String(MAX), SYSLOG_FACILITY: 'authpriv', ...POLL },
    });
  }, BOOTS);
  afterAll(async () => {
    await t?.close();
    await rsyslog?.remove();
  });

  it('sends one datagram per event, byte for byte, shortens one that is too long, and sends no audit entry without SYSLOG_AUDIT', async () => {
    await createManufacturer(t);
    const db = dataSourceOf(t);
    const [small, big] = await insertSecurityEventsBySql(db, [
      { type: 'firmware_not_released', severity: 'medium', details: { firmware: '9.9' } },
      { type: 'firmware_not_released', severity: 'medium', details: { firmware: 'x'.repeat(3000) } },
    ]);
    const [{ at }]: Array<{ at: string }> = await db.query(
      `SELECT to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM security_events WHERE id = $1`,
      [small],
    );
    const lines = await rsyslog.waitFor((l) => l.length >= 2);
    // authpriv (10) * 8 + warning (4) = 84
    expect(lines[0]).toBe(
      `<84>1 ${at} ${hostname()} iomt-inventory ${process.pid} firmware_not_released ` +
        `[iomt@32473 id="${small}" type="firmware_not_released" severity="medium" details="{\\"firmware\\":\\"9.9\\"}"] Security event firmware_not_released (medium)`,
    );
    const shortened = parseSyslogLine(lines[1])!;
    expect(shortened.params).toEqual({ id: big, type: 'firmware_not_released', severity: 'medium', truncated: 'true' });
    expect(Buffer.byteLength(lines[1])).toBeLessThanOrEqual(MAX);
    expect(syslogLines(lines, 'audit')).toEqual([]);
  });
});

describe('Syslog over TLS (RFC 5425) to a TLS collector', () => {
  let certs: TestCertificates;
  let other: TestCertificates;

  /** A TLS listener that keeps every byte it receives. */
  async function tlsCollector(c: TestCertificates): Promise<{ port: number; received: () => Buffer; close: () => void }> {
    const chunks: Buffer[] = [];
    const sockets = new Set<TLSSocket>();
    const server: Server = createServer({ cert: readFileSync(c.certFile), key: readFileSync(c.keyFile) }, (socket: TLSSocket) => {
      sockets.add(socket);
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    const port = await freeTcpPort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    // Open connections would keep the test process alive after the server stops listening.
    const close = () => {
      for (const s of sockets) s.destroy();
      server.close();
    };
    return { port, received: () => Buffer.concat(chunks), close };
  }

  /** RFC 6587 octet counting read back: each frame's stated length is its real length in bytes. */
  function frames(bytes: Buffer): string[] {
    const out: string[] = [];
    let at = 0;
    while (at < bytes.length) {
      const space = bytes.indexOf(0x20, at);
      const length = Number(bytes.subarray(at, space).toString('ascii'));
      out.push(bytes.subarray(space + 1, space + 1 + length).toString('utf8'));
      at = space + 1 + length;
    }
    return out;
  }

  beforeAll(() => {
    certs = makeTestCertificates();
    other = makeTestCertificates();
  });
  afterAll(() => {
    certs.remove();
    other.remove();
  });

  it(
    'frames each message by its octet count over a connection verified against SYSLOG_CA_FILE',
    async () => {
      const collector = await tlsCollector(certs);
      const t = await startTestApp({ env: { SYSLOG_URL: `tls://localhost:${collector.port}`, SYSLOG_CA_FILE: certs.caFile, ...POLL } });
      try {
        const sent = await insertSecurityEventsBySql(dataSourceOf(t), [
          { type: 'address_changed', severity: 'low', details: { to: 'Zoë’s ward' } },
          { type: 'unknown_device', severity: 'info' },
        ]);
        await until(async () => frames(collector.received()).length === 2, 'two frames');
        const bytes = collector.received();
        const got = frames(bytes);
        expect(got.map((f) => parseSyslogLine(f)!.params.id)).toEqual(sent);
        expect(bytes.toString('utf8')).toBe(got.map((f) => `${Buffer.byteLength(f)} ${f}`).join(''));
        expect(parseSyslogLine(got[0])!.params.details).toBe('{"to":"Zoë’s ward"}');
      } finally {
        await t.close();
        collector.close();
      }
    },
    BOOTS,
  );

  it(
    'sends nothing to a collector whose certificate it cannot verify, counts the failures and keeps the events',
    async () => {
      const collector = await tlsCollector(other);
      const t = await startTestApp({ env: { SYSLOG_URL: `tls://localhost:${collector.port}`, SYSLOG_CA_FILE: certs.caFile, ...POLL } });
      try {
        await insertSecurityEventsBySql(dataSourceOf(t), [{ type: 'unknown_device', severity: 'info' }]);
        await until(async () => metricValue(await metrics(t), 'iomt_syslog_failures_total', { channel: 'security_events' }) >= 2, 'failed handshakes');
        expect(collector.received().length).toBe(0);
        const [{ n }]: Array<{ n: string }> = await dataSourceOf(t).query(`SELECT last_id::text AS n FROM syslog_cursors WHERE channel = 'security_events'`);
        expect(n).toBe('0');
      } finally {
        await t.close();
        collector.close();
      }
    },
    BOOTS,
  );
});
