import { acceptUntil } from './factories/finding.factory';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, seedModel } from './factories/inventory.factory';
import { firmwareBecomes, openAdvisoriesBecome, reportedDeviceIds } from './support/findings-checks';
import { FindingsLock, HIDE_FINDINGS, onStoppedEmbeddedDatabase, RESTORE_FINDINGS } from './support/findings-fault';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { createTestDatabase, dropTestDatabase, startTestApp, TestApp } from './support/test-app';

const ADVISORY = { versions: '<2.0.0', fixedVersion: '2.0.0' };

async function queueDepthBecomes(t: TestApp, depth: number): Promise<void> {
  await eventually(
    async () => {
      const seen = metricValue(await t.app.get(Registry).metrics(), 'iomt_findings_recompute_queue_depth');
      if (seen !== depth) throw new Error(`iomt_findings_recompute_queue_depth is ${seen}, want ${depth}`);
    },
    10_000,
    50,
  );
}

/**
 * Issue 13, item 4: a findings recompute that fails after the change it follows has committed
 * (a lock, a terminated session, an outage) must not leave findings wrong.
 */
describe('findings after a fault between a device change and its recompute', () => {
  it('are right after a restart on the same database, when the recompute after a heartbeat firmware change failed', async () => {
    const databaseUrl = await createTestDatabase();
    const dataDir = databaseUrl ? null : mkdtempSync(join(tmpdir(), 'iomt-findings-fault-'));
    const options = databaseUrl ? { databaseUrl } : { env: { DATA_DIR: dataDir! } };
    let t = await startTestApp(options);
    try {
      const { manufacturerId, modelId } = await seedModel(t);
      const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, ...ADVISORY }] });
      const wasSafe = await createDevice(t, modelId, { firmwareVersion: '2.0.0' });
      const wasExposed = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
      await openAdvisoriesBecome(t, wasExposed.id, [advisory.id]);
      await openAdvisoriesBecome(t, wasSafe.id, []);

      // The fault: PostgreSQL as in the trial (a session locks findings, the waiting recompute
      // is terminated); the embedded database serves one session, so there findings vanish.
      const lock = databaseUrl ? await FindingsLock.take(databaseUrl) : null;
      if (!lock) await t.app.get(DataSource).query(HIDE_FINDINGS);
      const device = await connectDevice(t.mqttUrl);
      try {
        // QoS 1: the PUBACK arrives only after the batch committed.
        await publishHeartbeat(device, wasSafe.id, { firmwareVersion: '1.0.0' });
        await publishHeartbeat(device, wasExposed.id, { firmwareVersion: '2.0.0' });
      } finally {
        await device.endAsync();
      }
      // The broker acknowledges on receipt; the service's commit shows in the API.
      await firmwareBecomes(t, wasSafe.id, '1.0.0');
      await firmwareBecomes(t, wasExposed.id, '2.0.0');
      // What the two changes owe is on record, and /metrics says so.
      await queueDepthBecomes(t, 2);
      if (lock) {
        await lock.recomputeWaiting();
        await lock.terminateWaiters();
        // Whatever retries meets the lock again; the service goes down before it is released.
        const closing = t.close();
        let closed = false;
        void closing.finally(() => (closed = true));
        while (!closed) {
          await lock.terminateWaiters();
          await new Promise((r) => setTimeout(r, 50));
        }
        await closing;
        await lock.release();
      } else {
        await t.close();
        await onStoppedEmbeddedDatabase(dataDir!, RESTORE_FINDINGS);
      }

      t = await startTestApp(options);
      await openAdvisoriesBecome(t, wasSafe.id, [advisory.id]);
      await openAdvisoriesBecome(t, wasExposed.id, []);
      expect(await reportedDeviceIds(t, manufacturerId)).toEqual([wasSafe.id]);
      const resolved = (await t.api().get(`/api/v1/devices/${wasExposed.id}/findings`).expect(200)).body;
      expect(resolved).toEqual([expect.objectContaining({ advisoryId: advisory.id, status: 'resolved', resolution: 'firmware_changed' })]);
      await queueDepthBecomes(t, 0);
    } finally {
      await t.close();
      await dropTestDatabase(databaseUrl);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('findings reconciliation', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No periodic acceptance sweep during the file: an acceptance that runs out stays unswept until a report asks.
    t = await startTestApp({ env: { FINDINGS_RECONCILE_INTERVAL_S: '1', ACCEPTANCE_SWEEP_INTERVAL_S: '3600' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('finds findings changed behind the service in SQL, repairs them, and counts each device repaired', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, ...ADVISORY }] });
    const lost = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const ghost = await createDevice(t, modelId, { firmwareVersion: '2.0.0' });
    const miscounted = await createDevice(t, modelId, { firmwareVersion: '1.5.0' });
    const untouched = await createDevice(t, modelId, { firmwareVersion: '1.2.0' });
    for (const d of [lost, miscounted, untouched]) await openAdvisoriesBecome(t, d.id, [advisory.id]);
    await openAdvisoriesBecome(t, ghost.id, []);
    const repairedBefore = metricValue(await t.app.get(Registry).metrics(), 'iomt_findings_drift_repaired_total');

    const db = t.app.get(DataSource);
    // Drift of every kind: a finding lost, a finding for a device on the fixed firmware, a wrong summary.
    await db.query(`DELETE FROM findings WHERE device_id = $1`, [lost.id]);
    await db.query(
      `INSERT INTO findings (device_id, advisory_id, status, firmware_at_detection, fixed_version, affected_versions) VALUES ($1, $2, 'open', '2.0.0', '2.0.0', '<2.0.0')`,
      [ghost.id, advisory.id],
    );
    await db.query(`UPDATE device_exposure SET open_findings = 7 WHERE device_id = $1`, [miscounted.id]);

    await openAdvisoriesBecome(t, lost.id, [advisory.id]);
    await openAdvisoriesBecome(t, ghost.id, []);
    await eventually(
      async () => {
        const [row] = await db.query(`SELECT open_findings FROM device_exposure WHERE device_id = $1`, [miscounted.id]);
        if (row?.open_findings !== 1) throw new Error(`summary still says ${row?.open_findings}`);
      },
      30_000,
      100,
    );
    expect(await reportedDeviceIds(t, manufacturerId)).toEqual([lost.id, miscounted.id, untouched.id].sort());
    const repaired = metricValue(await t.app.get(Registry).metrics(), 'iomt_findings_drift_repaired_total') - repairedBefore;
    expect(repaired).toBe(3);
  }, 90_000);

  it("does not take an acceptance that ran out, not swept yet, for drift: its summary is the sweep's to rewrite", async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, ...ADVISORY }] });
    const device = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await openAdvisoriesBecome(t, device.id, [advisory.id]);
    const [finding] = (await t.api().get(`/api/v1/devices/${device.id}/findings`).expect(200)).body as Array<{ id: string }>;
    const expiresAt = Date.now() + 1_500;
    await acceptUntil(t, finding.id, expiresAt, { reason: 'r', compensatingControl: 'c' });
    const metric = async (name: string) => metricValue(await t.app.get(Registry).metrics(), name);
    const repairedBefore = await metric('iomt_findings_drift_repaired_total');
    await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 10));

    // Two whole passes over every device after the expiry.
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM devices`);
    const checkedAtExpiry = await metric('iomt_findings_reconciled_devices_total');
    await eventually(
      async () => {
        if ((await metric('iomt_findings_reconciled_devices_total')) < checkedAtExpiry + 2 * n) throw new Error('fewer than two passes yet');
      },
      30_000,
      100,
    );
    expect(await db.query(`SELECT accepted_until IS NOT NULL AS unswept FROM findings WHERE id = $1`, [finding.id])).toEqual([{ unswept: true }]);
    expect((await metric('iomt_findings_drift_repaired_total')) - repairedBefore).toBe(0);
    // The report, asked now, sweeps before it reads: the device is back.
    expect(await reportedDeviceIds(t, manufacturerId)).toEqual([device.id]);
  }, 60_000);
});
