import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevice, seedModel } from './factories/inventory.factory';
import { firmwareBecomes, openAdvisoriesBecome, reportedDeviceIds } from './support/findings-checks';
import { FindingsLock, HIDE_FINDINGS, onStoppedEmbeddedDatabase, RESTORE_FINDINGS } from './support/findings-fault';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { buildService, restartableServiceEnv, ServiceProcess } from './support/service-process';
import { dropSession, StandaloneBroker, startStandaloneBroker } from './support/standalone-broker';
import { createTestDatabase, dropTestDatabase } from './support/test-app';

/**
 * The fault trial's kill, as a test: the service is SIGKILLed while the findings recompute after
 * a heartbeat's firmware change is under way, and the findings must be right after the restart.
 */
// A cold embedded start (initdb, migrations, on disk) of the child process; on two shared,
// busy cores it took more than ServiceProcess's 30 s default here.
const BOOT_TIMEOUT_MS = 90_000;

describe('findings when the service is killed during a recompute', () => {
  const tag = randomUUID().slice(0, 8);
  const clientId = `iomt-findings-kill-${tag}`;
  const adminKey = `findings_kill_admin_${randomBytes(16).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'iomt-findings-kill-'));
  let broker: StandaloneBroker;
  let databaseUrl: string | null = null;
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;
  const api = () => service!.api(adminKey);

  beforeAll(async () => {
    await buildService();
    broker = await startStandaloneBroker();
    databaseUrl = await createTestDatabase();
    env = await restartableServiceEnv({ dataDir, databaseUrl, brokerUrl: broker.url, clientId, adminKey });
    service = await ServiceProcess.start(env, BOOT_TIMEOUT_MS);
  }, 240_000);

  afterAll(async () => {
    await service?.stop();
    if (broker) await dropSession(broker.url, clientId).catch(() => undefined);
    await broker?.close();
    await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has the findings of a heartbeat firmware change right after a SIGKILL during its recompute and a restart', async () => {
    const { manufacturerId, modelId } = await seedModel({ api });
    const created = await api()
      .post('/api/v1/advisories')
      .send({ manufacturerId, title: 'Kill test', cvssScore: 8.1, affected: [{ modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }] })
      .expect(201);
    const advisoryId: string = created.body.id;
    const wasSafe = await createDevice({ api }, modelId, { firmwareVersion: '2.0.0' });
    const wasExposed = await createDevice({ api }, modelId, { firmwareVersion: '1.0.0' });
    await openAdvisoriesBecome({ api }, wasExposed.id, [advisoryId]);
    await openAdvisoriesBecome({ api }, wasSafe.id, []);

    // On PostgreSQL the recompute is held mid-transaction by a session locking findings, as in
    // the trial. PGlite inside the service serves no one else, so there the recompute is made to
    // fail instead (findings hidden while the service is stopped), and the kill follows its failure.
    const lock = databaseUrl ? await FindingsLock.take(databaseUrl) : null;
    if (!lock) {
      await service!.stop();
      await onStoppedEmbeddedDatabase(dataDir, HIDE_FINDINGS);
      service = await ServiceProcess.start(env, BOOT_TIMEOUT_MS);
    }
    const device = await connectDevice(broker.url, { clientId: `iomt-findings-kill-dev-${tag}` });
    try {
      await publishHeartbeat(device, wasSafe.id, { firmwareVersion: '1.0.0' });
      await publishHeartbeat(device, wasExposed.id, { firmwareVersion: '2.0.0' });
    } finally {
      await device.endAsync();
    }
    await firmwareBecomes({ api }, wasSafe.id, '1.0.0');
    await firmwareBecomes({ api }, wasExposed.id, '2.0.0');
    if (lock) {
      await lock.recomputeWaiting();
    } else {
      await eventually(
        async () => {
          if (!/findings recompute[^"]*failed/.test(service!.log)) throw new Error('no failed recompute logged yet');
        },
        20_000,
        50,
      );
    }
    await service!.kill();
    if (lock) await lock.release();
    else await onStoppedEmbeddedDatabase(dataDir, RESTORE_FINDINGS);

    service = await ServiceProcess.start(env, BOOT_TIMEOUT_MS);
    await openAdvisoriesBecome({ api }, wasSafe.id, [advisoryId]);
    await openAdvisoriesBecome({ api }, wasExposed.id, []);
    expect(await reportedDeviceIds({ api }, manufacturerId)).toEqual([wasSafe.id]);
  }, 360_000);
});
