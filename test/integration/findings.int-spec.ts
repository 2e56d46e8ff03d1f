import { AdvisoriesRepository } from '../../src/advisories/advisories.repository';
import { FindingsQueueRepository } from '../../src/findings/findings-queue.repository';
import { FindingsEngine } from '../../src/findings/findings.engine';
import { FindingsMetrics } from '../../src/findings/findings.metrics';
import { FindingsRepository } from '../../src/findings/findings.repository';
import { FindingsService } from '../../src/findings/findings.service';
import { ReportsRepository } from '../../src/findings/reports.repository';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { DevicesService } from '../../src/inventory/devices.service';
import { DatabaseTier, seedDevice, seedModel, startDatabaseTier } from './database-tier';

describe('findings on a real database', () => {
  let tier: DatabaseTier;
  let engine: FindingsEngine;
  let advisories: AdvisoriesRepository;
  let devices: DevicesRepository;
  let findings: FindingsService;
  let modelId: string;
  let manufacturerId: string;

  beforeAll(async () => {
    tier = await startDatabaseTier([
      AdvisoriesRepository,
      FindingsRepository,
      FindingsQueueRepository,
      FindingsMetrics,
      FindingsEngine,
      ReportsRepository,
      FindingsService,
      // FindingsService checks that the device exists; nothing else of DevicesService is used.
      { provide: DevicesService, inject: [DevicesRepository], useFactory: (repo: DevicesRepository) => ({ get: async (id: string) => repo.findById(id) }) },
    ]);
    engine = tier.module.get(FindingsEngine);
    advisories = tier.module.get(AdvisoriesRepository);
    devices = tier.module.get(DevicesRepository);
    findings = tier.module.get(FindingsService);
    ({ modelId, manufacturerId } = await seedModel(tier));
  });
  afterAll(async () => {
    await tier?.close();
  });

  async function advisoryOnModel(versions: string, fixedVersion: string | null): Promise<string> {
    return advisories.transaction(async (m) => {
      const a = await advisories.insert(m, {
        manufacturerId,
        source: 'manual',
        trackingId: null,
        publisherNamespace: null,
        submittedByManufacturerId: null,
        sourceRevision: null,
        document: null,
        title: `advisory ${versions}`,
        cves: ['CVE-2026-0001'],
        cvssScore: 8.1,
        cvssVector: null,
        severity: 'high',
        publishedAt: null,
        remediation: null,
      });
      await advisories.addAffected(m, a.id, [{ modelId, versions, fixedVersion, productRef: null }]);
      return a.id;
    });
  }

  it('opens a finding when an advisory covers a device, and resolves it when the device leaves the range', async () => {
    const exposed = await seedDevice(tier, modelId, '1.0.0');
    const safe = await seedDevice(tier, modelId, '3.0.0');
    const advisoryId = await advisoryOnModel('<2.0.0', '2.0.0');

    // The insert's triggers queued the recompute; the advisory's drain does it.
    expect(await engine.recomputeAdvisory(advisoryId, 'advisory_revised')).toEqual({ opened: 1, resolved: 0, unknown: 0 });
    const open = await findings.forDevice(exposed.id);
    expect(open.map((f) => [f.advisoryId, f.status, f.fixedVersion])).toEqual([[advisoryId, 'open', '2.0.0']]);
    expect(await findings.forDevice(safe.id)).toEqual([]);

    await devices.transaction((m) => devices.update(m, exposed.id, { firmwareVersion: '2.0.0' }));
    expect(await engine.recomputeDevices([exposed.id])).toEqual({ opened: 0, resolved: 1, unknown: 0 });
    expect((await findings.forDevice(exposed.id)).map((f) => [f.status, f.resolution])).toEqual([['resolved', 'firmware_changed']]);
  });

  it('pages every finding newest first, each page continuing where the last ended', async () => {
    for (let i = 0; i < 5; i++) await seedDevice(tier, modelId, '0.9.0');
    await engine.recomputeAdvisory(await advisoryOnModel('<1.0.0', '1.0.0'), 'advisory_revised');
    const all = await findings.page({ limit: 1000 });

    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await findings.page({ limit: 2, cursor });
      seen.push(...page.items.map((f) => f.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }

    expect(all.items.length).toBeGreaterThanOrEqual(5);
    expect(seen).toEqual(all.items.map((f) => f.id));
    expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
  });
});
