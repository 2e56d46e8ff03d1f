import { randomUUID } from 'node:crypto';
import { collapseHeartbeats } from '../../src/ingest/heartbeat-collapse';
import { Heartbeat } from '../../src/ingest/heartbeat-message';
import { HeartbeatRepository } from '../../src/ingest/heartbeat.repository';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { SecurityEventsRepository } from '../../src/security-events/security-events.repository';
import { DatabaseTier, seedDevice, seedModel, startDatabaseTier } from './database-tier';

describe('HeartbeatRepository on a real database', () => {
  let tier: DatabaseTier;
  let repository: HeartbeatRepository;
  let devices: DevicesRepository;
  let modelId: string;

  beforeAll(async () => {
    tier = await startDatabaseTier([HeartbeatRepository, SecurityEventsRepository]);
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

  describe('security events, stored in the batch transaction', () => {
    const events = async (
      deviceOrClaimedId: string,
    ): Promise<Array<{ type: string; severity: string; device_id: string | null; details: Record<string, unknown> }>> =>
      tier.dataSource.query(
        `SELECT type, severity, device_id, details FROM security_events WHERE device_id = $1::text::uuid OR details ->> 'claimedDeviceId' = $1 ORDER BY id`,
        [deviceOrClaimedId],
      );
    const later = (hb: Heartbeat, ms: number): Heartbeat => ({
      ...hb,
      sentAt: new Date(hb.sentAt.getTime() + ms),
      receivedAt: new Date(hb.receivedAt.getTime() + ms),
    });

    it('stores one firmware_downgrade, and none again when the same heartbeat is delivered a second time', async () => {
      const d = await seedDevice(tier, modelId, '2.4.1');
      const lowered = heartbeat(d.id, '2.3.0');

      const plan = await repository.apply(collapseHeartbeats([lowered]), []);
      await repository.apply(collapseHeartbeats([lowered]), []);

      expect(plan.securityEvents.map((e) => e.type)).toEqual(['firmware_downgrade']);
      expect(await events(d.id)).toEqual([
        { type: 'firmware_downgrade', severity: 'high', device_id: d.id, details: { fromVersion: '2.4.1', toVersion: '2.3.0' } },
      ]);
    });

    it('stores firmware_not_released for a version outside the model catalog, nothing for one inside it', async () => {
      const { modelId: catalogued } = await seedModel(tier);
      await tier.dataSource.query(`INSERT INTO firmware_releases (model_id, version) VALUES ($1, '3.0'), ($1, '3.1')`, [catalogued]);
      const listed = await seedDevice(tier, catalogued, '3.0');
      const rogue = await seedDevice(tier, catalogued, '3.0');

      await repository.apply(collapseHeartbeats([heartbeat(listed.id, '3.1.0'), heartbeat(rogue.id, '3.2')]), []);

      expect(await events(listed.id)).toEqual([]);
      expect(await events(rogue.id)).toEqual([
        { type: 'firmware_not_released', severity: 'medium', device_id: rogue.id, details: { version: '3.2', fromVersion: '3.0', catalogSize: 2 } },
      ]);
    });

    it('stores unknown_device, decommissioned_device_heard and serial_mismatch at the first sighting only', async () => {
      const stranger = randomUUID();
      const retired = await seedDevice(tier, modelId, '1.0.0');
      await tier.dataSource.query(`UPDATE devices SET status = 'decommissioned' WHERE id = $1`, [retired.id]);
      const cloned = await seedDevice(tier, modelId, '1.0.0');
      const batch = () => [heartbeat(stranger, '9.9'), heartbeat(retired.id, '1.0.0'), heartbeat(cloned.id, '1.0.0', 'SN-IMPOSTOR')];

      await repository.apply(collapseHeartbeats(batch()), []);
      const second = await repository.apply(collapseHeartbeats(batch().map((h) => later(h, 1000))), []);

      expect(second.securityEvents).toEqual([]);
      expect((await events(stranger)).map((e) => [e.type, e.device_id, e.details.claimedDeviceId])).toEqual([['unknown_device', null, stranger]]);
      expect((await events(retired.id)).map((e) => [e.type, e.severity])).toEqual([['decommissioned_device_heard', 'high']]);
      expect((await events(cloned.id)).map((e) => [e.type, e.details.serialNumber])).toEqual([['serial_mismatch', 'SN-IMPOSTOR']]);
    });

    it('stores address_changed when an applied heartbeat reports another address, not for the first one or the same one', async () => {
      const d = await seedDevice(tier, modelId, '1.0.0');
      const first = heartbeat(d.id, '1.0.0');
      await repository.apply(collapseHeartbeats([first]), []);
      await repository.apply(collapseHeartbeats([later(first, 1000)]), []);
      await repository.apply(collapseHeartbeats([{ ...later(first, 2000), ipAddress: '10.0.0.8' }]), []);
      // An older heartbeat that does not apply changes no address.
      await repository.apply(collapseHeartbeats([{ ...later(first, 500), ipAddress: '10.9.9.9' }]), []);

      expect(await events(d.id)).toEqual([{ type: 'address_changed', severity: 'low', device_id: d.id, details: { from: '10.0.0.7', to: '10.0.0.8' } }]);
    });

    it('queues one webhook delivery per matching enabled endpoint in the same transaction', async () => {
      await tier.dataSource.query(
        `INSERT INTO webhooks (url, events, secret_sealed, enabled) VALUES
           ('https://a.example/h', ARRAY['firmware_downgrade']::varchar[], 'x', true),
           ('https://b.example/h', ARRAY['address_changed']::varchar[], 'x', true),
           ('https://c.example/h', ARRAY['firmware_downgrade']::varchar[], 'x', false)`,
      );
      const d = await seedDevice(tier, modelId, '5.0');

      const plan = await repository.apply(collapseHeartbeats([heartbeat(d.id, '4.0')]), []);

      expect(plan.webhookDeliveries).toBe(1);
      const queued: Array<{ url: string }> = await tier.dataSource.query(
        `SELECT w.url FROM webhook_deliveries q JOIN webhooks w ON w.id = q.webhook_id JOIN security_events e ON e.id = q.event_id WHERE e.device_id = $1`,
        [d.id],
      );
      expect(queued).toEqual([{ url: 'https://a.example/h' }]);
    });
  });
});
