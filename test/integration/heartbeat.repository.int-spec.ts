import { randomUUID } from 'node:crypto';
import { collapseHeartbeats } from '../../src/ingest/heartbeat-collapse';
import { Heartbeat } from '../../src/ingest/heartbeat-message';
import { HeartbeatRepository } from '../../src/ingest/heartbeat.repository';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { DatabaseTier, seedDevice, seedModel, startDatabaseTier } from './database-tier';

describe('HeartbeatRepository on a real database', () => {
  let tier: DatabaseTier;
  let repository: HeartbeatRepository;
  let devices: DevicesRepository;
  let modelId: string;

  beforeAll(async () => {
    tier = await startDatabaseTier([HeartbeatRepository]);
    repository = tier.module.get(HeartbeatRepository);
    devices = tier.module.get(DevicesRepository);
    ({ modelId } = await seedModel(tier));
  });
  afterAll(async () => {
    await tier?.close();
  });

  const heartbeat = (deviceId: string, firmwareVersion: string, serialNumber: string | null = null): Heartbeat => ({
    deviceId,
    registrable: true,
    firmwareVersion,
    sentAt: new Date(),
    receivedAt: new Date(),
    serialNumber,
    batteryPercent: 77,
    ipAddress: '10.0.0.7',
  });

  it('applies one batch: a firmware change with its history, a routine heartbeat, an unknown device and a rejection', async () => {
    const changing = await seedDevice(tier, modelId, '1.0.0');
    const routine = await seedDevice(tier, modelId, '1.0.0');
    const stranger = randomUUID();

    const plan = await repository.apply(collapseHeartbeats([heartbeat(changing.id, '1.1.0'), heartbeat(routine.id, '1.0.0'), heartbeat(stranger, '9.9')]), [
      { receivedAt: new Date(), topic: 'iomt/v1/devices/x/heartbeat', reason: 'not_json', detail: 'payload is not valid JSON', payload: '{' },
    ]);

    expect(plan.firmwareChanges).toEqual([expect.objectContaining({ deviceId: changing.id, fromVersion: '1.0.0', toVersion: '1.1.0' })]);
    expect(plan.sightings.map((s) => [s.claimedDeviceId, s.reason])).toEqual([[stranger, 'not_registered']]);
    expect((await devices.findById(changing.id))!.firmwareVersion).toBe('1.1.0');
    expect((await devices.history(changing.id)).map((h) => [h.toVersion, h.source])).toEqual([['1.1.0', 'heartbeat']]);
    const presence: Array<{ device_id: string; connectivity: string; battery_percent: number }> = await tier.dataSource.query(
      `SELECT device_id, connectivity, battery_percent FROM device_presence WHERE device_id = ANY($1::uuid[]) ORDER BY device_id`,
      [[changing.id, routine.id]],
    );
    expect(presence.map((p) => [p.connectivity, p.battery_percent])).toEqual([
      ['online', 77],
      ['online', 77],
    ]);
    const [{ n }]: Array<{ n: number }> = await tier.dataSource.query(`SELECT count(*)::int AS n FROM ingest_rejections WHERE reason = 'not_json'`);
    expect(n).toBe(1);
  });

  it('does not roll a device back to the firmware of an older heartbeat', async () => {
    const d = await seedDevice(tier, modelId, '1.0.0');
    const newer = heartbeat(d.id, '2.0.0');
    await repository.apply(collapseHeartbeats([newer]), []);
    const older = { ...heartbeat(d.id, '1.5.0'), sentAt: new Date(newer.sentAt.getTime() - 60_000) };

    const plan = await repository.apply(collapseHeartbeats([older]), []);

    expect(plan.firmwareChanges).toEqual([]);
    expect((await devices.findById(d.id))!.firmwareVersion).toBe('2.0.0');
  });
});
