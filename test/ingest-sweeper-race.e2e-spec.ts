import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { collapseHeartbeats } from '../src/ingest/heartbeat-collapse';
import { Heartbeat } from '../src/ingest/heartbeat-message';
import { HeartbeatRepository } from '../src/ingest/heartbeat.repository';
import { createDevice, seedModel } from './factories/inventory.factory';
import { startTestApp, TestApp, usingRealServices } from './support/test-app';

const OFFLINE_AFTER_S = 60;

/**
 * The offline sweeper and a heartbeat batch touch the same device at the same moment. Both lock
 * the device's presence row; whichever waits must act on what the other committed. A heartbeat
 * that waited for a sweep must leave the device online (it is newer than the sweep).
 */
describe('a heartbeat racing the offline sweeper', () => {
  let t: TestApp;
  let modelId: string;
  let repository: HeartbeatRepository;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_OFFLINE_AFTER_S: String(OFFLINE_AFTER_S) } });
    ({ modelId } = await seedModel(t));
    repository = t.app.get(HeartbeatRepository);
    dataSource = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const heartbeat = (deviceId: string, serialNumber: string): Heartbeat => ({
    deviceId,
    registrable: true,
    firmwareVersion: '1.0.0',
    sentAt: new Date(),
    receivedAt: new Date(),
    serialNumber,
    batteryPercent: null,
    ipAddress: null,
  });

  /** A device the inventory shows online, last seen two thresholds ago: due for the sweeper. */
  async function silentOnlineDevice(): Promise<{ id: string; serialNumber: string }> {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await dataSource.query(`UPDATE device_presence SET connectivity = 'online', last_seen_at = now() - make_interval(secs => $2) WHERE device_id = $1`, [
      d.id,
      2 * OFFLINE_AFTER_S,
    ]);
    return d;
  }

  const connectivity = async (id: string): Promise<string> => (await t.api().get(`/api/v1/devices/${id}`).expect(200)).body.connectivity;

  if (usingRealServices.database) {
    it('leaves the device online when the sweep commits while the batch waits for its lock (PostgreSQL)', async () => {
      const d = await silentOnlineDevice();
      // The sweeper's statement, held open in its own transaction on its own connection.
      const sweeper = new Client({ connectionString: t.databaseUrl! });
      await sweeper.connect();
      try {
        await sweeper.query('BEGIN');
        const swept = await sweeper.query(
          `UPDATE device_presence SET connectivity = 'offline'
            WHERE device_id = $1 AND connectivity = 'online'
              AND COALESCE(last_seen_at, '-infinity'::timestamptz) < now() - make_interval(secs => $2)`,
          [d.id, OFFLINE_AFTER_S],
        );
        expect(swept.rowCount).toBe(1);
        // The batch starts now (its snapshot still says "online") and waits on the presence row.
        let settled = false;
        const applying = repository.apply(collapseHeartbeats([heartbeat(d.id, d.serialNumber)]), []).finally(() => (settled = true));
        // Go on only once the batch is blocked on the row: then its snapshot predates the sweep.
        // Watched from outside the sweeper's transaction: PostgreSQL reads pg_stat_activity once
        // per transaction, so polling from inside it would see the first answer forever.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const [{ n }]: Array<{ n: number }> = await dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%device_presence%'`,
          );
          if (n > 0) break;
          if (Date.now() > deadline) throw new Error('the batch never waited for the presence lock');
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(settled).toBe(false);
        await sweeper.query('COMMIT');
        const plan = await applying;
        expect(plan.cameOnline).toBe(1);
        expect(await connectivity(d.id)).toBe('online');
      } finally {
        await sweeper.end();
      }
    });
  } else {
    it('brings the device back online after the sweep (the single-connection embedded database runs them in turn)', async () => {
      const d = await silentOnlineDevice();
      expect((await repository.markSilentDevicesOffline(OFFLINE_AFTER_S)).length).toBeGreaterThanOrEqual(1);
      expect(await connectivity(d.id)).toBe('offline');
      const plan = await repository.apply(collapseHeartbeats([heartbeat(d.id, d.serialNumber)]), []);
      expect(plan.cameOnline).toBe(1);
      expect(await connectivity(d.id)).toBe('online');
    });
  }

  it('does not send a recently seen online device down the slow path', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const first = await repository.apply(collapseHeartbeats([heartbeat(d.id, d.serialNumber)]), []);
    expect(first).toMatchObject({ cameOnline: 1, routine: 0 });
    const second = await repository.apply(collapseHeartbeats([heartbeat(d.id, d.serialNumber)]), []);
    expect(second).toMatchObject({ cameOnline: 0, routine: 1, updates: [], firmwareChanges: [] });
  });
});
