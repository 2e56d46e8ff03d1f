import { Injectable } from '@nestjs/common';
import { toSafeCsv } from '../common/csv-safe';
import { ExposureUnknownQueryDto, OutdatedReportQueryDto } from './dto/report-query.dto';
import { OutdatedDeviceDto, OutdatedReportDto } from './dto/report-response.dto';
import { ExposureHistoryDto, ReportSummaryDto } from './dto/report-summary.dto';
import { ExposureHistoryRepository } from './exposure-history.repository';
import { remediationFor } from './remediation';
import { OpenFindingRow, PageAdvisoryRow, PageFindings, ReportsRepository } from './reports.repository';
import { AcceptanceSweeper } from './acceptance-sweeper.service';
import { toAcceptance } from './dto/finding-acceptance.dto';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { Severity, SEVERITIES, severityOfRank } from '../advisories/severity';
import { priorityOf } from '../prioritisation/stored-priority';
import { DECISIONS } from '../prioritisation/ssvc-decision-points';
import { SharedRun, SharedRuns } from '../common/shared-run';

const DAY_MS = 86_400_000;
/** Devices a request reads when it gives no limit: a JSON page, or the CSV's every row (report-query.dto.ts). */
const DEFAULT_LIMIT = { page: 100, export: 100_000 } as const;

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly acceptances: FindingAcceptancesRepository,
    private readonly sweeper: AcceptanceSweeper,
    private readonly history: ExposureHistoryRepository,
  ) {}

  private readonly sharedSummary = new SharedRun(() => this.readSummary());
  private readonly sharedPages = new SharedRuns<OutdatedReportDto>();

  /**
   * A page of the report. Concurrent requests for the same page (same filters, order, cursor and
   * limit: twenty open consoles polling Exposure) share one read, as the summary does: each is
   * answered by a read that started after it asked, so it sees its own writes. At a million
   * devices a page costs ~10 ms of CPU; 20 clients on two cores queued behind each other
   * (bench/README.md, "reads at a million devices on a quiet machine").
   */
  outdatedFirmware(q: OutdatedReportQueryDto): Promise<OutdatedReportDto> {
    return this.sharedPages.run(pageKey(q), () => this.readOutdatedFirmware(q, 'page'));
  }

  private async readOutdatedFirmware(q: OutdatedReportQueryDto, read: 'page' | 'export'): Promise<OutdatedReportDto> {
    // A risk acceptance that ran out since the last sweep brings its finding back before this
    // answer. Asked before the page, not beside it: a request holds one pool connection at a
    // time (issue 19: at a million devices, requests holding two starved the pool).
    await this.sweeper.sweepIfDue();
    const { rows, nextCursor } = await this.reports.exposedDevices(q, q.limit ?? DEFAULT_LIMIT[read]);
    const now = new Date();
    const { findings, advisories } = await this.reports.openFindingsOf(
      rows.map((r) => r.device_id),
      q.includeAccepted ?? false,
      read,
    );
    // Which findings an acceptance hides is the database's answer (accepted_now), never this
    // process's clock: it must agree with the stored summaries the page was read from.
    const accepted = await this.acceptances.latestOf(findings.filter((f) => f.accepted_now).map((f) => String(f.finding_id)));
    const byDevice = new Map<string, OpenFindingRow[]>();
    for (const f of findings) {
      const list = byDevice.get(f.device_id);
      if (list) list.push(f);
      else byDevice.set(f.device_id, [f]);
    }
    const items: OutdatedDeviceDto[] = rows.map((r) => {
      const open = byDevice.get(r.device_id) ?? [];
      const remediation = remediationFor(open.map((f) => ({ fixedVersion: f.fixed_version, affectedVersions: f.affected_versions })));
      const maxCvss = Number(r.max_cvss);
      const maxEpss = Number(r.max_epss);
      return {
        deviceId: r.device_id,
        serialNumber: r.serial_number,
        assetTag: r.asset_tag,
        manufacturer: { id: r.manufacturer_id, name: r.manufacturer_name },
        model: { id: r.model_id, name: r.model_name, modelNumber: r.model_number, category: r.category },
        location: r.location,
        department: r.department,
        firmwareVersion: r.firmware_version,
        connectivity: r.connectivity,
        lastSeenAt: r.last_seen_at,
        decision: DECISIONS[r.max_decision_rank] ?? null,
        dueAt: r.next_due_at,
        inKev: r.in_kev,
        highestEpss: maxEpss >= 0 ? maxEpss : null,
        advisories: open.map((f) => {
          const a = advisoryOf(advisories, f);
          const findingId = String(f.finding_id);
          const acceptance = accepted.get(findingId);
          return {
            id: a.id,
            title: a.title,
            trackingId: a.tracking_id,
            cves: a.cves,
            cvssScore: a.cvss_score === null ? null : Number(a.cvss_score),
            severity: a.severity,
            fixedVersion: f.fixed_version,
            affectedVersions: f.affected_versions,
            detectedAt: f.detected_at,
            priority: priorityOf(f, a),
            findingId,
            acceptance: acceptance ? toAcceptance(acceptance, 'open', f.accepted_now) : null,
          };
        }),
        highestCvss: maxCvss >= 0 ? maxCvss : null,
        highestSeverity: severityOfRank(r.max_severity_rank),
        ...remediation,
        daysExposed: Math.floor((now.getTime() - new Date(r.first_detected_at).getTime()) / DAY_MS),
      };
    });
    return { items, nextCursor, generatedAt: now };
  }

  async outdatedFirmwareCsv(q: OutdatedReportQueryDto): Promise<string> {
    const report = await this.readOutdatedFirmware(q, 'export');
    const header = [
      'deviceId',
      'serialNumber',
      'assetTag',
      'manufacturer',
      'model',
      'modelNumber',
      'category',
      'location',
      'department',
      'firmwareVersion',
      'connectivity',
      'lastSeenAt',
      'advisories',
      'cves',
      'highestCvss',
      'highestSeverity',
      'minimumSafeVersion',
      'action',
      'daysExposed',
      'decision',
      'dueAt',
      'inKev',
      'highestEpss',
      'acceptedAdvisories',
      'acceptedUntil',
      'acceptanceReasons',
    ];
    const rows = report.items.map((i) => [
      i.deviceId,
      i.serialNumber,
      i.assetTag ?? '',
      i.manufacturer.name,
      i.model.name,
      i.model.modelNumber,
      i.model.category,
      i.location ?? '',
      i.department ?? '',
      i.firmwareVersion ?? '',
      i.connectivity,
      i.lastSeenAt ? i.lastSeenAt.toISOString() : '',
      i.advisories.map((a) => a.trackingId ?? a.id).join('; '),
      [...new Set(i.advisories.flatMap((a) => a.cves))].join('; '),
      i.highestCvss ?? '',
      i.highestSeverity,
      i.minimumSafeVersion ?? '',
      i.actionText,
      i.daysExposed,
      i.decision ?? '',
      i.dueAt ? new Date(i.dueAt).toISOString() : '',
      i.inKev,
      i.highestEpss ?? '',
      // With ?includeAccepted=true: the advisories whose finding a risk acceptance hides now,
      // each with its expiry and reason, in the same order ('; ' between them).
      ...acceptedColumns(i.advisories),
    ]);
    return toSafeCsv([header, ...rows]);
  }

  /**
   * Concurrent requests share one read (SharedRun): twenty dashboards asking at once cost the
   * database one or two summary statements and one pool connection, and each still gets an
   * answer read after it asked.
   */
  summary(): Promise<ReportSummaryDto> {
    return this.sharedSummary.run();
  }

  private async readSummary(): Promise<ReportSummaryDto> {
    await this.sweeper.sweepIfDue();
    return this.reports.summary().then((s) => ({
      totals: s.totals,
      byDecision: {
        ...(Object.fromEntries(DECISIONS.map((name, rank) => [name, s.byDecision.find((b) => b.rank === rank)?.devices ?? 0])) as Record<
          (typeof DECISIONS)[number],
          number
        >),
        undecided: s.byDecision.filter((b) => b.rank < 0).reduce((n, b) => n + b.devices, 0),
      },
      bySeverity: Object.fromEntries(SEVERITIES.map((name) => [name, s.bySeverity.find((b) => severityOfRank(b.rank) === name)?.devices ?? 0])) as Record<
        Severity,
        number
      >,
      byManufacturer: s.byManufacturer,
      byDepartment: s.byDepartment,
      byModel: s.byModel,
    }));
  }

  async exposureHistory(days: number): Promise<ExposureHistoryDto> {
    return { days: await this.history.perDay(days) };
  }

  async exposureUnknown(q: ExposureUnknownQueryDto) {
    const rows = await this.reports.exposureUnknown(q);
    return rows.map((r) => ({
      deviceId: r.device_id,
      serialNumber: r.serial_number,
      manufacturer: r.manufacturer_name,
      model: r.model_name,
      location: r.location,
      department: r.department,
      firmwareVersion: r.firmware_version,
      advisoryId: r.advisory_id,
      advisoryTitle: r.title,
      trackingId: r.tracking_id,
      affectedVersions: r.versions,
      reason: r.reason,
      since: r.since,
    }));
  }
}

/** A finding's advisory as its page read it; advisories are never deleted, so a miss is a defect, not data. */
function advisoryOf(advisories: PageFindings['advisories'], f: OpenFindingRow): PageAdvisoryRow {
  const a = advisories.get(f.advisory_id);
  if (!a) throw new Error(`report page: finding ${f.finding_id} names advisory ${f.advisory_id}, which the page did not read`);
  return a;
}

/** The CSV's acceptance columns of one device: the accepted advisories, until when, and why. */
function acceptedColumns(advisories: OutdatedDeviceDto['advisories']): [string, string, string] {
  const accepted = advisories.filter((a) => a.acceptance);
  return [
    accepted.map((a) => a.trackingId ?? a.id).join('; '),
    accepted.map((a) => new Date(a.acceptance!.expiresAt).toISOString()).join('; '),
    accepted.map((a) => a.acceptance!.reason).join('; '),
  ];
}

/** The query's own fields in a fixed order: equal keys for equal queries, whatever the URL's parameter order. */
function pageKey(q: OutdatedReportQueryDto): string {
  const fields = q as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(fields)
      .filter((k) => fields[k] !== undefined)
      .sort()
      .map((k) => [k, fields[k]]),
  );
}
