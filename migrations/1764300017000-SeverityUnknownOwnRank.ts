import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unknown severity gets a rank of its own in `device_exposure.max_severity_rank`: it shared 3
 * with high, so the summary counted unknown devices as high and `?severity=high` returned them.
 * New ranks: none 0, low 1, medium 2, unknown 3, high 4, critical 5 (src/advisories/severity.ts).
 *
 * The stored rank 3 cannot tell high from unknown, so every row is recomputed from its open
 * findings, as the findings engine computes it. Ranks are spelled out here on purpose: a
 * migration keeps the meaning it had when written, whatever the code says later.
 */
const RANK_OF = (ranks: Record<string, number>) =>
  `CASE a.severity ${Object.entries(ranks)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(' ')} ELSE 0 END`;

const NEW_RANKS = { none: 0, low: 1, medium: 2, unknown: 3, high: 4, critical: 5 };
const OLD_RANKS = { none: 0, low: 1, medium: 2, unknown: 3, high: 3, critical: 4 };

async function recompute(q: QueryRunner, ranks: Record<string, number>): Promise<void> {
  await q.query(`
    UPDATE device_exposure e SET max_severity_rank = s.rank
      FROM (SELECT f.device_id, max(${RANK_OF(ranks)}) AS rank
              FROM findings f JOIN advisories a ON a.id = f.advisory_id
             WHERE f.status = 'open'
             GROUP BY f.device_id) s
     WHERE s.device_id = e.device_id AND e.max_severity_rank IS DISTINCT FROM s.rank`);
}

export class SeverityUnknownOwnRank1764300017000 implements MigrationInterface {
  name = 'SeverityUnknownOwnRank1764300017000';

  async up(q: QueryRunner): Promise<void> {
    await recompute(q, NEW_RANKS);
  }

  async down(q: QueryRunner): Promise<void> {
    await recompute(q, OLD_RANKS);
  }
}
