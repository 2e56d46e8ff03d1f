import { EventEmitter2 } from '@nestjs/event-emitter';
import { AdvisoriesRepository } from '../../src/advisories/advisories.repository';
import { FindingsQueueRepository } from '../../src/findings/findings-queue.repository';
import { FindingsEngine } from '../../src/findings/findings.engine';
import { FindingsMetrics } from '../../src/findings/findings.metrics';
import { FindingsRepository } from '../../src/findings/findings.repository';
import { FindingsService } from '../../src/findings/findings.service';
import { ReportsRepository } from '../../src/findings/reports.repository';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { DevicesService } from '../../src/inventory/devices.service';
import { FindingPrioritiesRepository } from '../../src/prioritisation/finding-priorities.repository';
import { FindingPriorities } from '../../src/prioritisation/finding-priorities.service';
import { DatabaseTier, seedDevice, seedModel, startDatabaseTier } from './database-tier';
import { FINDING_DECISION_RANK_SQL, PRIORITY_JOIN_SQL, PRIORITY_READ_SQL } from '../../src/prioritisation/priority-summary.sql';
import { priorityOf, StoredPriorityRow } from '../../src/prioritisation/stored-priority';

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
      // The engine announces what it changed; nothing listens here.
      { provide: EventEmitter2, useValue: new EventEmitter2() },
      FindingsEngine,
      FindingPrioritiesRepository,
      FindingPriorities,
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
    expect(await engine.recomputeAdvisory(advisoryId, 'advisory_revised')).toEqual({
      opened: 1,
      resolved: 0,
      unknown: 0,
      changedDeviceIds: [exposed.id],
      decisionChangedDeviceIds: [],
    });
    const open = await findings.forDevice(exposed.id);
    expect(open.map((f) => [f.advisoryId, f.status, f.fixedVersion])).toEqual([[advisoryId, 'open', '2.0.0']]);
    expect(await findings.forDevice(safe.id)).toEqual([]);

    // Opened with its decision in the same transaction: nobody set an input, so every one is assumed (none, yes, open, very high).
    const [stored]: Array<StoredPriorityRow & { decision_rank: number }> = await tier.dataSource.query(
      `SELECT ${FINDING_DECISION_RANK_SQL} AS decision_rank, ${PRIORITY_READ_SQL} FROM findings f ${PRIORITY_JOIN_SQL} WHERE f.device_id = $1 AND f.status = 'open'`,
      [exposed.id],
    );
    expect(stored).toMatchObject({ decision: 'out_of_cycle', decision_rank: 2 });
    const priority = priorityOf(stored, stored)!;
    expect(priority.vector).toBe('SSVCv2/A:Y/E:N/EXP:O/HI:VH/MI:MF/SI:C/');
    expect(priority.assumed).toEqual(['exploitation', 'automatable', 'systemExposure', 'safetyImpact', 'missionImpact']);
    expect(stored.due_at).not.toBeNull();
    const [summary]: Array<{ max_decision_rank: number; next_due_at: Date }> = await tier.dataSource.query(
      `SELECT max_decision_rank, next_due_at FROM device_exposure WHERE device_id = $1`,
      [exposed.id],
    );
    expect(summary).toEqual({ max_decision_rank: 2, next_due_at: new Date(stored.due_at!) });

    await devices.transaction((m) => devices.update(m, exposed.id, { firmwareVersion: '2.0.0' }));
    expect(await engine.recomputeDevices([exposed.id])).toMatchObject({ opened: 0, resolved: 1, unknown: 0 });
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
