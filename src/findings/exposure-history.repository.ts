import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REPORTS_DATA_SOURCE } from '../database/read-replica';

/**
 * Devices exposed at the end of each UTC day, from findings' detected and resolved times, in one
 * set-based statement: each device's findings are merged into islands of continuous exposure
 * (two overlapping findings are one exposure, so no device counts twice), each island adds 1 on
 * the day it starts and takes 1 away on the day it ends, and a running sum over the days of
 * generate_series gives the count. One pass over the findings, whatever the number of days.
 *
 * Counts active devices (decommissioned ones leave the history too) and every open finding, risk
 * accepted or not: the acceptances' own history is not kept per day.
 */
const HISTORY_SQL = `
  WITH span AS (
    SELECT (now() AT TIME ZONE 'UTC')::date - ($1::int - 1) AS first_day, (now() AT TIME ZONE 'UTC')::date AS last_day
  ), f AS (
    SELECT f.device_id, f.detected_at AS s, COALESCE(f.resolved_at, 'infinity'::timestamptz) AS e
      FROM findings f
      JOIN devices d ON d.id = f.device_id AND d.status <> 'decommissioned'
     WHERE f.resolved_at IS NULL OR f.resolved_at >= ((SELECT first_day FROM span)::timestamp AT TIME ZONE 'UTC')
  ), ordered AS (
    SELECT device_id, s, e,
           max(e) OVER (PARTITION BY device_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM f
  ), islands AS (
    SELECT device_id, s, e, count(*) FILTER (WHERE reached IS NULL OR reached < s) OVER (PARTITION BY device_id ORDER BY s, e) AS island
      FROM ordered
  ), merged AS (
    SELECT min(s) AS s, max(e) AS e FROM islands GROUP BY device_id, island
  ), deltas AS (
    SELECT (s AT TIME ZONE 'UTC')::date AS day, 1 AS delta FROM merged
    UNION ALL
    SELECT (e AT TIME ZONE 'UTC')::date, -1 FROM merged WHERE e <> 'infinity'
  ), per_day AS (
    SELECT day, sum(delta) AS delta FROM deltas GROUP BY day
  )
  SELECT to_char(g.day, 'YYYY-MM-DD') AS day,
         ((SELECT COALESCE(sum(p.delta), 0) FROM per_day p, span WHERE p.day < span.first_day)
          + sum(COALESCE(pd.delta, 0)) OVER (ORDER BY g.day))::int AS devices
    FROM span, generate_series(span.first_day, span.last_day, interval '1 day') AS g(day)
    LEFT JOIN per_day pd ON pd.day = g.day::date
   ORDER BY g.day`;

@Injectable()
export class ExposureHistoryRepository {
  /** A report: on the read replica when DATABASE_READ_URL is set. */
  constructor(@Inject(REPORTS_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** One row per day, oldest first, today last. */
  perDay(days: number): Promise<Array<{ day: string; devices: number }>> {
    return this.dataSource.query(HISTORY_SQL, [days]);
  }
}
