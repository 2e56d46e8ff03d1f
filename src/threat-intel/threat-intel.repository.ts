import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pgArrayLiteral } from '../database/pg-array-literal';
import { EpssScore } from './epss-format';
import { KevEntry } from './kev-catalog';

export type Feed = 'kev' | 'epss';
export type FeedOrigin = 'upload' | 'pull';

export interface FeedRecord {
  feed: Feed;
  version: string;
  releasedAt: Date | null;
  entries: number;
  origin: FeedOrigin;
  loadedBy: string | null;
  loadedAt: Date;
}

export interface PullRecord {
  feed: Feed;
  lastAttemptAt: Date;
  lastError: string | null;
  lastSuccessAt: Date | null;
}

export interface FeedWrite {
  version: string;
  releasedAt: string;
  origin: FeedOrigin;
  loadedBy: string | null;
}

/** CVEs whose input changed; `more` when there were more than the limit asked for. */
export interface ChangedCves {
  cves: string[];
  more: boolean;
}

export type SwapOutcome = { status: 'unchanged'; feed: FeedRecord } | { status: 'loaded'; feed: FeedRecord; previous: FeedRecord | null; changed: ChangedCves };

/** A CVE listed twice in one EPSS file: the line of its second appearance and of its first. */
export interface DuplicateLine {
  cve: string;
  line: number;
  firstLine: number;
}

// Any constants will do: they only have to be the same for every replica. One lock per feed
// serialises its replacements; the pull lock lets one replica pull at a time.
const KEV_LOAD_LOCK = 7_316_052_101;
const EPSS_LOAD_LOCK = 7_316_052_102;
export const PULL_LOCK = 7_316_052_103;

interface FeedRow {
  feed: Feed;
  version: string;
  released_at: Date | null;
  entries: number;
  origin: FeedOrigin;
  loaded_by: string | null;
  loaded_at: Date;
}

const toFeed = (r: FeedRow): FeedRecord => ({
  feed: r.feed,
  version: r.version,
  releasedAt: r.released_at,
  entries: r.entries,
  origin: r.origin,
  loadedBy: r.loaded_by,
  loadedAt: r.loaded_at,
});

/** The loaded KEV catalog and EPSS scores (migrations 1764300020000 and 1764300022000): each replaced whole, in one transaction. */
@Injectable()
export class ThreatIntelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async feeds(): Promise<FeedRecord[]> {
    const rows: FeedRow[] = await this.dataSource.query(`SELECT feed, version, released_at, entries, origin, loaded_by, loaded_at FROM threat_intel_feeds`);
    return rows.map(toFeed);
  }

  async pulls(): Promise<PullRecord[]> {
    const rows: Array<{ feed: Feed; last_attempt_at: Date; last_error: string | null; last_success_at: Date | null }> = await this.dataSource.query(
      `SELECT feed, last_attempt_at, last_error, last_success_at FROM threat_intel_pulls`,
    );
    return rows.map((r) => ({ feed: r.feed, lastAttemptAt: r.last_attempt_at, lastError: r.last_error, lastSuccessAt: r.last_success_at }));
  }

  /**
   * Replaces the catalog unless this version is the one loaded: the CVEs whose membership or
   * ransomware flag changes, then delete and insert, then the feed row, in five statements.
   * `audit` runs in the same transaction when something was written.
   */
  replaceKev(entries: KevEntry[], w: FeedWrite, audit: (m: EntityManager, previous: FeedRecord | null) => Promise<void>): Promise<SwapOutcome> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [KEV_LOAD_LOCK]);
      const previous = await this.feed(m, 'kev');
      if (previous && previous.version === w.version) return { status: 'unchanged', feed: previous };
      const cves = pgArrayLiteral(entries.map((e) => e.cve));
      const ransomware = pgArrayLiteral(entries.map((e) => String(e.knownRansomware)));
      const changed: Array<{ cve: string }> = await m.query(
        `SELECT coalesce(k.cve, n.cve) AS cve
           FROM kev_entries k
           FULL JOIN unnest($1::varchar[], $2::boolean[]) AS n(cve, ransomware) ON n.cve = k.cve
          WHERE k.cve IS NULL OR n.cve IS NULL OR k.known_ransomware <> n.ransomware`,
        [cves, ransomware],
      );
      await m.query(`DELETE FROM kev_entries`);
      await m.query(
        `INSERT INTO kev_entries (cve, vendor_project, product, vulnerability_name, date_added, due_date, known_ransomware, required_action, notes)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::date[], $6::date[], $7::boolean[], $8::text[], $9::text[])`,
        [
          cves,
          pgArrayLiteral(entries.map((e) => e.vendorProject)),
          pgArrayLiteral(entries.map((e) => e.product)),
          pgArrayLiteral(entries.map((e) => e.vulnerabilityName)),
          pgArrayLiteral(entries.map((e) => e.dateAdded)),
          pgArrayLiteral(entries.map((e) => e.dueDate)),
          ransomware,
          pgArrayLiteral(entries.map((e) => e.requiredAction)),
          pgArrayLiteral(entries.map((e) => e.notes)),
        ],
      );
      const feed = await this.writeFeed(m, 'kev', w, entries.length);
      await audit(m, previous);
      return { status: 'loaded', feed, previous, changed: { cves: changed.map((r) => r.cve), more: false } };
    });
  }

  /** Whether this model version and score date is the day loaded now (checked again under the lock at the swap). */
  async isEpssLoaded(modelVersion: string, scoreDate: string): Promise<FeedRecord | null> {
    const [row]: FeedRow[] = await this.dataSource.query(
      `SELECT feed, version, released_at, entries, origin, loaded_by, loaded_at FROM threat_intel_feeds WHERE feed = 'epss' AND version = $1 AND released_at = $2::timestamptz`,
      [modelVersion, scoreDate],
    );
    return row ? toFeed(row) : null;
  }

  /** One batch of a load in progress, one statement; invisible to readers of epss_scores. */
  async stageEpss(loadId: string, scores: EpssScore[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO epss_staging (load_id, line, cve, epss, percentile)
       SELECT $1, * FROM unnest($2::integer[], $3::varchar[], $4::numeric[], $5::numeric[])`,
      [
        loadId,
        pgArrayLiteral(scores.map((s) => s.line)),
        pgArrayLiteral(scores.map((s) => s.cve)),
        pgArrayLiteral(scores.map((s) => s.epss)),
        pgArrayLiteral(scores.map((s) => s.percentile)),
      ],
    );
  }

  /** The first CVE the staged file lists twice, if any. */
  async firstDuplicate(loadId: string): Promise<DuplicateLine | null> {
    const [row]: Array<{ cve: string; lines: number[] }> = await this.dataSource.query(
      `SELECT cve, (array_agg(line ORDER BY line))[1:2] AS lines FROM epss_staging WHERE load_id = $1
        GROUP BY cve HAVING count(*) > 1 ORDER BY min(line) LIMIT 1`,
      [loadId],
    );
    return row ? { cve: row.cve, firstLine: row.lines[0], line: row.lines[1] } : null;
  }

  /**
   * Replaces epss_scores with the staged day in one transaction, so a reader sees the old day or
   * the new one, never a mix; unless this day is already loaded (another upload or pull won).
   * The CVEs whose score or percentile changes come back, `changedLimit` at most.
   */
  swapEpss(loadId: string, w: FeedWrite, changedLimit: number, audit: (m: EntityManager, previous: FeedRecord | null) => Promise<void>): Promise<SwapOutcome> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [EPSS_LOAD_LOCK]);
      const previous = await this.feed(m, 'epss');
      if (previous && previous.version === w.version && previous.releasedAt?.getTime() === new Date(w.releasedAt).getTime()) {
        return { status: 'unchanged', feed: previous };
      }
      const changed: Array<{ cve: string }> = await m.query(
        `SELECT coalesce(s.cve, e.cve) AS cve
           FROM (SELECT cve, epss, percentile FROM epss_staging WHERE load_id = $1) s
           FULL JOIN epss_scores e ON e.cve = s.cve
          WHERE s.cve IS NULL OR e.cve IS NULL OR s.epss <> e.epss OR s.percentile <> e.percentile
          LIMIT $2`,
        [loadId, changedLimit + 1],
      );
      await m.query(`DELETE FROM epss_scores`);
      const inserted: Array<{ n: number }> = await m.query(
        `WITH ins AS (INSERT INTO epss_scores (cve, epss, percentile) SELECT cve, epss, percentile FROM epss_staging WHERE load_id = $1 RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [loadId],
      );
      await m.query(`DELETE FROM epss_staging WHERE load_id = $1`, [loadId]);
      const feed = await this.writeFeed(m, 'epss', w, inserted[0].n);
      await audit(m, previous);
      return { status: 'loaded', feed, previous, changed: { cves: changed.slice(0, changedLimit).map((r) => r.cve), more: changed.length > changedLimit } };
    });
  }

  /** A load that failed or stopped leaves nothing behind; loads abandoned by a crash go after a day. */
  async discardStaged(loadId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM epss_staging WHERE load_id = $1 OR staged_at < now() - interval '1 day'`, [loadId]);
  }

  async recordPull(feed: Feed, error: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO threat_intel_pulls (feed, last_attempt_at, last_error, last_success_at)
       VALUES ($1, now(), $2, CASE WHEN $2::text IS NULL THEN now() END)
       ON CONFLICT (feed) DO UPDATE SET last_attempt_at = now(), last_error = $2,
         last_success_at = CASE WHEN $2::text IS NULL THEN now() ELSE threat_intel_pulls.last_success_at END`,
      [feed, error],
    );
  }

  /**
   * Runs `work` if no other replica holds the pull lock, else returns null. A session lock,
   * taken and released on one connection: a dedicated one on a pooled server; the embedded
   * database has a single connection (and one process), where every query shares its session.
   */
  async withPullLock<T>(work: () => Promise<T>): Promise<T | null> {
    const pooled = ((this.dataSource.options as { poolSize?: number }).poolSize ?? 10) > 1;
    const runner = pooled ? this.dataSource.createQueryRunner() : null;
    const query = (sql: string) => (runner ? runner.query(sql, [PULL_LOCK]) : this.dataSource.query(sql, [PULL_LOCK]));
    try {
      const [got]: Array<{ locked: boolean }> = await query(`SELECT pg_try_advisory_lock($1) AS locked`);
      if (!got.locked) return null;
      try {
        return await work();
      } finally {
        await query(`SELECT pg_advisory_unlock($1)`).catch(() => undefined);
      }
    } finally {
      await runner?.release();
    }
  }

  private async feed(m: EntityManager, feed: Feed): Promise<FeedRecord | null> {
    const [row]: FeedRow[] = await m.query(
      `SELECT feed, version, released_at, entries, origin, loaded_by, loaded_at FROM threat_intel_feeds WHERE feed = $1 FOR UPDATE`,
      [feed],
    );
    return row ? toFeed(row) : null;
  }

  private async writeFeed(m: EntityManager, feed: Feed, w: FeedWrite, entries: number): Promise<FeedRecord> {
    const [row]: FeedRow[] = await m.query(
      `INSERT INTO threat_intel_feeds (feed, version, released_at, entries, origin, loaded_by, loaded_at)
       VALUES ($1, $2, $3::timestamptz, $4, $5, $6, now())
       ON CONFLICT (feed) DO UPDATE SET version = EXCLUDED.version, released_at = EXCLUDED.released_at, entries = EXCLUDED.entries,
         origin = EXCLUDED.origin, loaded_by = EXCLUDED.loaded_by, loaded_at = now()
       RETURNING feed, version, released_at, entries, origin, loaded_by, loaded_at`,
      [feed, w.version, w.releasedAt, entries, w.origin, w.loadedBy],
    );
    return toFeed(row);
  }
}
