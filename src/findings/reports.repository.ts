import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cursorFields, decodeCursor, encodeCursor } from '../common/cursor-codec';
import { InvalidInputError } from '../common/domain-errors';
import { isoInstantSql } from '../common/iso-instant-sql';
import { REPORTS_DATA_SOURCE } from '../database/read-replica';
import { ExposureUnknownQueryDto, OutdatedReportQueryDto } from './dto/report-query.dto';
import { SEVERITY_RANK_SQL, severityRank } from '../advisories/severity';
import {
  acceptedNowSql,
  FINDING_DECISION_RANK_SQL,
  FINDING_EPSS_SQL,
  NOT_ACCEPTED_SQL,
  FINDING_DECISION_READ_SQL,
  PRIORITY_JOIN_SQL,
  PRIORITY_PROBE_JOIN_SQL,
  PRIORITY_READ_SQL,
  PRIORITY_SUMMARY_ALL_SQL,
  THREAT_READ_SQL,
} from '../prioritisation/priority-summary.sql';
import type { AdvisoryThreatRow, FindingDecisionRow, StoredPriorityRow } from '../prioritisation/stored-priority';
import { decisionRank } from '../prioritisation/ssvc-decision-points';
import { decodeTimeCursor, encodeTimeCursor, PRIORITY_CURSOR_TAG, refuseCursorOfAnotherOrder, TIME_ORDERS } from './report-order';
import { prefixPattern, SEARCH_MODELS_SQL, searchSql } from './report-search';

export interface ExposedDeviceRow {
  device_id: string;
  open_findings: number;
  /** -1 when none of the device's advisories has a CVSS score. */
  max_cvss: string;
  max_severity_rank: number;
  first_detected_at: Date;
  /** -1 when no open finding that no acceptance hides has a decision. */
  max_decision_rank: number;
  /** -1 when none has an EPSS score. */
  max_epss: string;
  in_kev: boolean;
  next_due_at: Date | null;
  serial_number: string;
  asset_tag: string | null;
  firmware_version: string | null;
  location: string | null;
  department: string | null;
  connectivity: string;
  last_seen_at: Date | null;
  model_id: string;
  model_name: string;
  model_number: string;
  category: string;
  manufacturer_id: string;
  manufacturer_name: string;
  /** The time key of ?sort=dueAt or lastSeen (what its cursor carries); null in the priority order. */
  sort_key: string | null;
}

/** One open finding of a report page: its own columns. Its advisory's are in PageAdvisoryRow, read once per advisory. */
export interface OpenFindingRow extends FindingDecisionRow {
  device_id: string;
  advisory_id: string;
  fixed_version: string | null;
  affected_versions: string;
  /** ISO 8601 in UTC, as the API shows it (isoInstantSql). */
  detected_at: string;
  finding_id: string;
  /** Whether a risk acceptance hides it now, by the database's clock (acceptedNowSql). */
  accepted_now: boolean;
}

/** An advisory of a report page with its threat side (KEV, EPSS): what each of its findings shows of it. */
export interface PageAdvisoryRow extends AdvisoryThreatRow {
  id: string;
  title: string;
  tracking_id: string | null;
  cves: string[];
  cvss_score: string | null;
  severity: string;
}

/** A page's open findings, in the report's order, and the advisories they name, each once. */
export interface PageFindings {
  findings: OpenFindingRow[];
  advisories: Map<string, PageAdvisoryRow>;
}

/**
 * The report's rows with ?includeAccepted=true: devices with a finding accepted now are summed
 * over all their open findings here (few: acceptances are a person's acts), every other device
 * is its device_exposure row. Same columns as device_exposure.
 */
const WITH_ACCEPTED_SQL = `
  SELECT x.device_id, x.open_findings, x.max_cvss, x.max_severity_rank, x.first_detected_at,
         x.max_decision_rank, x.max_epss, x.in_kev, x.next_due_at
    FROM device_exposure x
   WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.device_id = x.device_id AND f.status = 'open' AND NOT ${NOT_ACCEPTED_SQL})
  UNION ALL
  SELECT f.device_id, count(*)::int, COALESCE(max(a.cvss_score), -1), max(${SEVERITY_RANK_SQL}), min(f.detected_at),
         ${PRIORITY_SUMMARY_ALL_SQL}
    FROM findings f JOIN advisories a ON a.id = f.advisory_id ${PRIORITY_JOIN_SQL}
   WHERE f.status = 'open'
     AND f.device_id IN (SELECT g.device_id FROM findings g WHERE g.status = 'open' AND ${acceptedNowSql('g')})
   GROUP BY f.device_id`;

/** The report summary as its one statement returns it (ReportsService shapes it for the API). */
export interface SummaryRow {
  bySeverity: Array<{ rank: number; devices: number }>;
  byDecision: Array<{ rank: number; devices: number }>;
  byManufacturer: Array<{ id: string; name: string; devices: number; findings: number }>;
  byDepartment: Array<{ department: string | null; devices: number; findings: number }>;
  byModel: Array<{ id: string; name: string; modelNumber: string; manufacturer: string; devices: number; findings: number }>;
  totals: { exposedDevices: number; openFindings: number; exposureUnknownDevices: number; kevExposedDevices: number };
}

/** GROUPING(severity, decision, model, department) of each grouping set of the summary: a bit set for each column not grouped by. */
const SET = { severity: 0b0111, decision: 0b1011, model: 0b1101, department: 0b1110, total: 0b1111 } as const;

/** Where the next page starts in the report's order: decision, EPSS, CVSS (each -1 when none), device. */
interface ReportCursor {
  decision: number;
  epss: number;
  cvss: number;
  id: string;
}

/** A device whose exposure to an advisory cannot be decided, with what a person needs to decide it. */
export interface ExposureUnknownRow {
  device_id: string;
  serial_number: string;
  firmware_version: string | null;
  location: string | null;
  department: string | null;
  model_name: string;
  manufacturer_name: string;
  advisory_id: string;
  title: string;
  tracking_id: string | null;
  /** The advisory's version ranges for the device's model, joined with ' || '. */
  versions: string | null;
  reason: string;
  since: Date;
}

/** Read side of findings: pages over device_exposure so the first page is an index scan. */
@Injectable()
export class ReportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /**
     * The read replica when DATABASE_READ_URL is set: only the reports, which may run a replica's
     * lag behind. findings() stays on the primary: an acceptance reads its finding right after writing.
     */
    @Inject(REPORTS_DATA_SOURCE) private readonly reader: DataSource,
  ) {}

  async exposedDevices(q: OutdatedReportQueryDto, limit: number): Promise<{ rows: ExposedDeviceRow[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const where: string[] = [`d.status <> 'decommissioned'`];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.manufacturerId) add('mf.id = ?', q.manufacturerId);
    if (q.department) add('d.department = ?', q.department);
    if (q.category) add('m.category = ?', q.category);
    if (q.severity?.length) add('e.max_severity_rank = ANY(?::smallint[])', [...new Set(q.severity.map((s) => severityRank(s)))]);
    if (q.decision?.length) add('e.max_decision_rank = ANY(?::smallint[])', [...new Set(q.decision.map((d) => decisionRank(d)))]);
    if (q.inKev !== undefined) add('e.in_kev = ?', q.inKev);
    if (q.modelId) add('m.id = ?', q.modelId);
    if (q.connectivity) add(`COALESCE(p.connectivity, 'never_seen') = ?`, q.connectivity);
    if (q.q) {
      const modelIds = (await this.reader.query(SEARCH_MODELS_SQL, [prefixPattern(q.q)])).map((r: { id: string }) => r.id);
      params.push(prefixPattern(q.q), modelIds);
      where.push(searchSql(params.length - 1, params.length));
    }
    const sort = q.sort ?? 'priority';
    const time = sort === 'priority' ? null : TIME_ORDERS[sort];
    if (q.cursor) refuseCursorOfAnotherOrder(q.cursor, sort);
    if (q.cursor && sort !== 'priority') {
      const c = decodeTimeCursor(sort, q.cursor);
      params.push(c.key, c.id);
      where.push(TIME_ORDERS[sort].after(params.length - 1, params.length));
    }
    if (q.cursor && sort === 'priority') {
      const c = decode(q.cursor);
      params.push(c.decision, c.epss, c.cvss, c.id);
      const n = params.length;
      where.push(`(e.max_decision_rank, e.max_epss, e.max_cvss, e.device_id) < ($${n - 3}, $${n - 2}, $${n - 1}, $${n}::uuid)`);
    }
    params.push(limit + 1);
    const rows: ExposedDeviceRow[] = await this.reader.query(
      `SELECT e.device_id, e.open_findings, e.max_cvss, e.max_severity_rank, e.first_detected_at, e.max_decision_rank, e.max_epss, e.in_kev, e.next_due_at,
              d.serial_number, d.asset_tag, d.firmware_version, d.location, d.department,
              COALESCE(p.connectivity, 'never_seen') AS connectivity, p.last_seen_at,
              m.id AS model_id, m.name AS model_name, m.model_number, m.category, mf.id AS manufacturer_id, mf.name AS manufacturer_name,
              ${time ? time.keySql : 'NULL'} AS sort_key
         FROM ${q.includeAccepted ? `(${WITH_ACCEPTED_SQL}) e` : 'device_exposure e'}
         JOIN devices d ON d.id = e.device_id
         JOIN device_models m ON m.id = d.model_id
         JOIN manufacturers mf ON mf.id = m.manufacturer_id
         LEFT JOIN device_presence p ON p.device_id = d.id
        WHERE ${where.join(' AND ')}
        ORDER BY ${time ? time.orderBy : 'e.max_decision_rank DESC, e.max_epss DESC, e.max_cvss DESC, e.device_id DESC'}
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    if (sort !== 'priority') return { rows: page, nextCursor: rows.length > limit && last ? encodeTimeCursor(sort, last.sort_key!, last.device_id) : null };
    const nextCursor =
      rows.length > limit && last
        ? encode({ decision: last.max_decision_rank, epss: Number(last.max_epss), cvss: Number(last.max_cvss), id: last.device_id })
        : null;
    return { rows: page, nextCursor };
  }

  /**
   * Without includeAccepted, the findings no risk acceptance hides now (an expired one hides
   * nothing, swept or not). `read`: a JSON page (at most 1,000 devices) probes each finding's decision cell; the CSV,
   * every exposed device at once, joins them by hash (priority-summary.sql.ts, DECISION_PROBE_SQL).
   *
   * Each advisory's columns are read once, in a second statement, not on every finding: a page's
   * findings name few advisories (the bench's first page: 927 findings, 20 advisories), and the
   * repeated columns were most of what this process parsed and kept alive per page (issue 15).
   * Advisories are never deleted, so every finding's advisory is there; its threat side may have
   * moved between the two statements, as any column may between a page's statements.
   */
  async openFindingsOf(deviceIds: string[], includeAccepted: boolean, read: 'page' | 'export'): Promise<PageFindings> {
    if (!deviceIds.length) return { findings: [], advisories: new Map() };
    const join = read === 'page' ? PRIORITY_PROBE_JOIN_SQL : PRIORITY_JOIN_SQL;
    const findings: OpenFindingRow[] = await this.reader.query(
      `SELECT f.device_id, f.advisory_id, f.fixed_version, f.affected_versions, ${isoInstantSql('f.detected_at')} AS detected_at,
              ${FINDING_DECISION_READ_SQL}, f.id AS finding_id, COALESCE(${acceptedNowSql('f')}, false) AS accepted_now
         FROM findings f JOIN advisories a ON a.id = f.advisory_id ${join}
        WHERE f.status = 'open' AND f.device_id = ANY($1::uuid[]) AND ($2 OR ${NOT_ACCEPTED_SQL})
        ORDER BY ${FINDING_DECISION_RANK_SQL} DESC NULLS LAST, ${FINDING_EPSS_SQL} DESC NULLS LAST, a.cvss_score DESC NULLS LAST, a.id`,
      [deviceIds, includeAccepted],
    );
    const advisoryIds = [...new Set(findings.map((f) => f.advisory_id))];
    const advisories: PageAdvisoryRow[] = advisoryIds.length
      ? await this.reader.query(
          `SELECT a.id, a.title, a.tracking_id, a.cves, a.cvss_score, a.severity, ${THREAT_READ_SQL}
             FROM advisories a LEFT JOIN advisory_threats t ON t.advisory_id = a.id
            WHERE a.id = ANY($1::uuid[])`,
          [advisoryIds],
        )
      : [];
    return { findings, advisories: new Map(advisories.map((a) => [a.id, a])) };
  }

  async summary(): Promise<SummaryRow> {
    // ONE statement on one connection, over exposure_summary_counts: the exposed devices that are
    // not decommissioned, counted by (model, department, severity, decision) as device_exposure
    // changes (migrations 1764300031000-1), a few hundred rows where device_exposure has 90,000
    // and devices a million. GROUPING() tells the grouping sets apart.
    const [row]: Array<SummaryRow> = await this.reader.query(`
      WITH g AS (
        SELECT GROUPING(c.max_severity_rank, c.max_decision_rank, c.model_id, c.department) AS set,
               c.max_severity_rank AS severity, c.max_decision_rank AS decision, c.model_id, c.department,
               COALESCE(sum(c.devices), 0)::int AS devices, COALESCE(sum(c.open_findings), 0)::int AS findings, COALESCE(sum(c.kev_devices), 0)::int AS kev
          FROM exposure_summary_counts c
         WHERE c.devices > 0
         GROUP BY GROUPING SETS ((c.max_severity_rank), (c.max_decision_rank), (c.model_id), (c.department), ())),
      models AS (
        SELECT g.model_id AS id, m.name, m.model_number, mf.id AS manufacturer_id, mf.name AS manufacturer, g.devices, g.findings
          FROM g JOIN device_models m ON m.id = g.model_id JOIN manufacturers mf ON mf.id = m.manufacturer_id
         WHERE g.set = ${SET.model})
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('rank', severity, 'devices', devices) ORDER BY severity DESC), '[]') FROM g WHERE set = ${SET.severity}) AS "bySeverity",
        (SELECT COALESCE(json_agg(json_build_object('rank', decision, 'devices', devices) ORDER BY decision DESC), '[]') FROM g WHERE set = ${SET.decision}) AS "byDecision",
        (SELECT COALESCE(json_agg(json_build_object('id', id, 'name', name, 'devices', devices, 'findings', findings) ORDER BY devices DESC, name), '[]')
           FROM (SELECT manufacturer_id AS id, manufacturer AS name, sum(devices)::int AS devices, sum(findings)::int AS findings
                   FROM models GROUP BY manufacturer_id, manufacturer) x) AS "byManufacturer",
        (SELECT COALESCE(json_agg(json_build_object('department', department, 'devices', devices, 'findings', findings) ORDER BY devices DESC, department), '[]')
           FROM g WHERE set = ${SET.department}) AS "byDepartment",
        (SELECT COALESCE(json_agg(json_build_object('id', id, 'name', name, 'modelNumber', model_number, 'manufacturer', manufacturer, 'devices', devices, 'findings', findings)
                                  ORDER BY devices DESC, name, id), '[]')
           FROM (SELECT * FROM models ORDER BY devices DESC, name, id LIMIT 10) x) AS "byModel",
        (SELECT json_build_object('exposedDevices', devices, 'openFindings', findings, 'kevExposedDevices', kev,
                                  -- An anti-join with the decommissioned devices (an index range), not a join
                                  -- with the live ones: with 100,000 undecidable rows at a million devices the
                                  -- join scanned all of devices (534 ms), this takes 79 ms.
                                  'exposureUnknownDevices', (SELECT count(*)::int FROM (SELECT DISTINCT device_id FROM exposure_unknown) u
                                                              WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = u.device_id AND d.status = 'decommissioned')))
           FROM g WHERE set = ${SET.total}) AS totals`);
    return row;
  }

  findings(q: { id?: string; status?: string; advisoryId?: string; deviceId?: string; cursor?: string; limit?: number }): Promise<FindingRow[]> {
    return this.dataSource.query(
      `SELECT f.id, f.device_id, f.advisory_id, a.title, a.tracking_id, a.severity, a.cvss_score, f.status, f.firmware_at_detection,
              f.fixed_version, f.affected_versions, f.detected_at, f.resolved_at, f.resolution, ${PRIORITY_READ_SQL},
              COALESCE(${acceptedNowSql('f')}, false) AS accepted_now
         FROM findings f JOIN advisories a ON a.id = f.advisory_id ${PRIORITY_JOIN_SQL}
        WHERE ($1::varchar IS NULL OR f.status = $1) AND ($2::uuid IS NULL OR f.advisory_id = $2) AND ($3::uuid IS NULL OR f.device_id = $3)
          AND ($4::bigint IS NULL OR f.id < $4) AND ($6::bigint IS NULL OR f.id = $6)
        ORDER BY f.id DESC LIMIT $5`,
      [q.status ?? null, q.advisoryId ?? null, q.deviceId ?? null, q.cursor ?? null, q.limit ?? 100, q.id ?? null],
    );
  }

  async exposureUnknown(q: ExposureUnknownQueryDto): Promise<ExposureUnknownRow[]> {
    return this.reader.query(
      `SELECT u.device_id, d.serial_number, d.firmware_version, d.location, d.department, m.name AS model_name, mf.name AS manufacturer_name,
              u.advisory_id, a.title, a.tracking_id, x.versions, u.reason, u.since
         FROM exposure_unknown u
         JOIN devices d ON d.id = u.device_id AND d.status <> 'decommissioned'
         JOIN device_models m ON m.id = d.model_id
         JOIN manufacturers mf ON mf.id = m.manufacturer_id
         JOIN advisories a ON a.id = u.advisory_id
         LEFT JOIN LATERAL (SELECT string_agg(DISTINCT v.versions, ' || ') AS versions
                              FROM (SELECT versions FROM advisory_affected WHERE advisory_id = u.advisory_id AND model_id = d.model_id
                                    UNION ALL
                                    SELECT versions FROM advisory_product_statements
                                     WHERE advisory_id = u.advisory_id AND model_id = d.model_id AND status = 'under_investigation') v) x ON true
        WHERE ($1::varchar IS NULL OR u.reason = $1) AND ($2::uuid IS NULL OR mf.id = $2) AND ($3::varchar IS NULL OR d.department = $3)
        ORDER BY u.since DESC, u.device_id, u.advisory_id
        LIMIT $4 OFFSET $5`,
      [q.reason ?? null, q.manufacturerId ?? null, q.department ?? null, q.limit ?? 100, q.offset ?? 0],
    );
  }
}

// The first value names the order, so a cursor of the earlier severity order is told apart from a damaged one.
const ORDER = PRIORITY_CURSOR_TAG;

function encode(c: ReportCursor): string {
  return encodeCursor([ORDER, c.decision, c.epss, c.cvss, c.id]);
}

// decision a rank (smallint, -1 none), epss numeric(6,5) or -1, cvss numeric(3,1) or -1.
const REPORT_CURSOR = [cursorFields.exactly(ORDER), cursorFields.int(-1, 3), cursorFields.number(-1, 1), cursorFields.number(-1, 10), cursorFields.uuid];
// The severity-ordered report's cursors: [severity rank, cvss, device id].
const SEVERITY_ORDER_CURSOR = [cursorFields.int(0, 4), cursorFields.either(cursorFields.number(-1, 10), cursorFields.exactly(null)), cursorFields.uuid];

function decode(raw: string): ReportCursor {
  const refusal = 'cursor: is not a cursor from this report or is damaged';
  try {
    decodeCursor(raw, SEVERITY_ORDER_CURSOR, refusal);
  } catch {
    const [, decision, epss, cvss, id] = decodeCursor(raw, REPORT_CURSOR, refusal) as [string, number, number, number, string];
    return { decision, epss, cvss, id };
  }
  throw new InvalidInputError(
    'cursor: is a cursor of the report as it was sorted before (by severity); the report is now sorted by decision, EPSS and CVSS: start again without a cursor',
  );
}

export interface FindingRow extends StoredPriorityRow {
  id: string;
  device_id: string;
  advisory_id: string;
  title: string;
  tracking_id: string | null;
  severity: string;
  cvss_score: string | null;
  status: string;
  firmware_at_detection: string | null;
  fixed_version: string | null;
  affected_versions: string;
  detected_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
  /** Whether a risk acceptance hides it now, by the database's clock (acceptedNowSql). */
  accepted_now: boolean;
}
