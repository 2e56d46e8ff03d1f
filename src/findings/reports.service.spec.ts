import { AcceptanceSweeper } from './acceptance-sweeper.service';
import { ExposureHistoryRepository } from './exposure-history.repository';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { ReportsRepository, SummaryRow } from './reports.repository';
import { ReportsService } from './reports.service';

const EMPTY_SUMMARY: SummaryRow = {
  bySeverity: [],
  byDecision: [],
  byManufacturer: [],
  byDepartment: [],
  byModel: [],
  totals: { exposedDevices: 0, openFindings: 0, exposureUnknownDevices: 0, kevExposedDevices: 0 },
};
const DEVICE = '0b8f3c1e-6a52-4d7e-9a0f-2f6c1b7d9e44';

/**
 * Every database call of the stubs counts as one pool connection while it runs (a tick): the
 * service must never have two at once for one request (issue 19: requests holding several
 * starved the pool at a million devices).
 */
function serviceWithCountedConnections() {
  const counter = { open: 0, most: 0, summaries: 0, pages: 0 };
  const query =
    <T>(value: T, onRun?: () => void) =>
    async (): Promise<T> => {
      counter.open++;
      counter.most = Math.max(counter.most, counter.open);
      onRun?.();
      await new Promise((r) => setTimeout(r, 5));
      counter.open--;
      return value;
    };
  const reports = {
    exposedDevices: query(
      { rows: [{ device_id: DEVICE, max_decision_rank: -1, max_cvss: '-1', max_epss: '-1', max_severity_rank: 0 }], nextCursor: null },
      () => counter.pages++,
    ),
    openFindingsOf: query({ findings: [], advisories: new Map() }),
    summary: query(EMPTY_SUMMARY, () => counter.summaries++),
  } as unknown as ReportsRepository;
  const acceptances = { latestOf: query(new Map()) } as unknown as FindingAcceptancesRepository;
  const sweeper = { isDue: query(false), sweepIfDue: query(undefined), sweep: query([]) } as unknown as AcceptanceSweeper;
  return { service: new ReportsService(reports, acceptances, sweeper, {} as ExposureHistoryRepository), counter };
}

describe('ReportsService: one pool connection at a time per request', () => {
  it('reads the report page, its findings and acceptances and the sweep check one after the other', async () => {
    const { service, counter } = serviceWithCountedConnections();
    await service.outdatedFirmware({});
    expect(counter.most).toBe(1);
  });

  it('answers twenty concurrent summary requests with at most two summary reads, one at a time', async () => {
    const { service, counter } = serviceWithCountedConnections();
    const answers = await Promise.all(Array.from({ length: 20 }, () => service.summary()));
    expect(answers).toHaveLength(20);
    expect(counter.summaries).toBeLessThanOrEqual(2);
    expect(counter.most).toBe(1);
  });

  it('answers twenty concurrent requests for the same page with at most two page reads; other pages read on their own', async () => {
    const { service, counter } = serviceWithCountedConnections();
    const same = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.outdatedFirmware(i % 2 ? { sort: 'priority', inKev: true } : { inKev: true, sort: 'priority' })),
    );
    expect(same).toHaveLength(20);
    expect(same.every((r) => r.items[0].deviceId === DEVICE)).toBe(true);
    expect(counter.pages).toBeLessThanOrEqual(2);
    const before = counter.pages;
    await Promise.all([service.outdatedFirmware({ inKev: true }), service.outdatedFirmware({ inKev: false }), service.outdatedFirmware({ limit: 10 })]);
    expect(counter.pages - before).toBe(3);
  });
});
