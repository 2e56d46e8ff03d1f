import { EventEmitter2 } from '@nestjs/event-emitter';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { FINDINGS_CHANGED, FindingsChangedEvent } from '../src/findings/findings.events';
import { acceptUntil, exposedDevice as exposedDeviceOf } from './factories/finding.factory';
import { startTestApp, TestApp } from './support/test-app';

type Exposed = { manufacturerId: string; deviceId: string; findingId: string };
type Advisories = Array<{ findingId: string; acceptance: { state: string } | null }>;

/**
 * One rule for when an acceptance ends (docs/vex-and-acceptance.md, "When an acceptance ends"):
 * every reader shows the finding again from the instant it runs out, whichever is asked first and
 * with no periodic sweep in between. Each reader asked first in its own case, since the first one
 * to read a stored summary brings every stale one up to date.
 */
describe('A risk acceptance that has just run out, before any periodic sweep', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No periodic sweep while the file runs: what brings the findings back is the readers' own rule.
    t = await startTestApp({ env: { ACCEPTANCE_SWEEP_INTERVAL_S: '3600' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function exposedDevice(): Promise<Exposed> {
    const e = await exposedDeviceOf(t);
    return { manufacturerId: e.manufacturerId, deviceId: e.device.id, findingId: e.findingId };
  }

  const report = async (e: Exposed, query = '') => {
    const items = (await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${e.manufacturerId}${query}`).expect(200)).body.items as Array<{
      deviceId: string;
      advisories: Advisories;
    }>;
    const item = items.find((i) => i.deviceId === e.deviceId);
    return item ? item.advisories.map((a) => ({ findingId: a.findingId, acceptance: a.acceptance?.state ?? null })) : 'not listed';
  };
  const readers = {
    summary: async () => {
      const { exposedDevices, openFindings } = (await t.api().get('/api/v1/reports/summary').expect(200)).body.totals;
      return { exposedDevices, openFindings };
    },
    report: (e: Exposed) => report(e),
    includeAccepted: (e: Exposed) => report(e, '&includeAccepted=true'),
    csv: async (e: Exposed) => {
      const res = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${e.manufacturerId}`).set('Accept', 'text/csv').expect(200);
      const row = (parse(res.text, { columns: true }) as Array<Record<string, string>>).find((r) => r.deviceId === e.deviceId);
      return row ? { acceptedAdvisories: row.acceptedAdvisories, acceptedUntil: row.acceptedUntil } : 'not listed';
    },
    findingsList: async (e: Exposed) =>
      ((await t.api().get(`/api/v1/devices/${e.deviceId}/findings`).expect(200)).body as Array<{ id: string; status: string }>).map((f) => ({
        id: f.id,
        status: f.status,
      })),
    findingDetail: async (e: Exposed) => (await t.api().get(`/api/v1/findings/${e.findingId}`).expect(200)).body.acceptance?.state ?? null,
  };
  const everyReader = async (e: Exposed) => ({
    summary: await readers.summary(),
    report: await readers.report(e),
    includeAccepted: await readers.includeAccepted(e),
    csv: await readers.csv(e),
    findingsList: await readers.findingsList(e),
    findingDetail: await readers.findingDetail(e),
  });

  it.each(['summary', 'report', 'includeAccepted', 'csv'] as const)(
    'shows the finding again on every reader a moment after the expiry, the %s asked first',
    async (first) => {
      const e = await exposedDevice();
      const before = await everyReader(e);
      expect(before.report).toEqual([{ findingId: e.findingId, acceptance: null }]);

      const expiresAt = Date.now() + 2_000;
      await acceptUntil(t, e.findingId, expiresAt);
      const hidden = await everyReader(e);
      expect(hidden).toEqual({
        ...before,
        summary: { exposedDevices: before.summary.exposedDevices - 1, openFindings: before.summary.openFindings - 1 },
        report: 'not listed',
        includeAccepted: [{ findingId: e.findingId, acceptance: 'active' }],
        csv: 'not listed',
        findingDetail: 'active',
      });

      await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 5));
      // Nothing has swept yet: the stored summary still hides the finding.
      const db = t.app.get(DataSource);
      expect(await db.query(`SELECT accepted_until IS NOT NULL AS unswept FROM findings WHERE id = $1`, [e.findingId])).toEqual([{ unswept: true }]);
      expect(await readers[first](e)).toEqual(before[first]);
      expect(await everyReader(e)).toEqual({ ...before, findingDetail: 'expired' });
    },
  );

  it('announces the device when the expiry is swept, as a revocation is (live consoles, work orders)', async () => {
    const e = await exposedDevice();
    const heard: FindingsChangedEvent[] = [];
    // Only this device's acceptance events: a recompute of an earlier case may still be announcing.
    const listener = (event: FindingsChangedEvent) => {
      if (event.deviceIds.includes(e.deviceId) && !event.opened && !event.resolved) heard.push(event);
    };
    t.app.get(EventEmitter2).on(FINDINGS_CHANGED, listener);
    try {
      const expiresAt = Date.now() + 1_500;
      await acceptUntil(t, e.findingId, expiresAt);
      expect(heard).toEqual([{ deviceIds: [e.deviceId], opened: 0, resolved: 0 }]);
      await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 5));
      await readers.summary();
      expect(heard).toEqual([
        { deviceIds: [e.deviceId], opened: 0, resolved: 0 },
        { deviceIds: [e.deviceId], opened: 0, resolved: 0 },
      ]);
    } finally {
      t.app.get(EventEmitter2).off(FINDINGS_CHANGED, listener);
    }
  });
});
