import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Rows deleted per statement: short transactions that never hold many locks or much WAL at once. */
export const PRUNE_CHUNK = 5_000;

/**
 * Deletes old rows of the time-growing tables in chunks, each chunk its own statement and
 * transaction, oldest first. The audit log is not here: its chain is the audit module's.
 */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** History older than the cutoff, except each device's newest change (so every device keeps one). */
  pruneFirmwareHistory(cutoff: Date): Promise<number> {
    return this.inChunks(
      `DELETE FROM firmware_history h WHERE h.id IN (
         SELECT o.id FROM firmware_history o
          WHERE o.changed_at < $1
            AND EXISTS (SELECT 1 FROM firmware_history n WHERE n.device_id = o.device_id AND (n.changed_at, n.id) > (o.changed_at, o.id))
          LIMIT $2)`,
      cutoff,
    );
  }

  /** Sightings of unknown devices (and serial mismatches) not heard of since the cutoff. */
  pruneSightings(cutoff: Date): Promise<number> {
    return this.inChunks(`DELETE FROM unknown_devices u WHERE u.ctid IN (SELECT ctid FROM unknown_devices WHERE last_seen_at < $1 LIMIT $2)`, cutoff);
  }

  /** Security events detected before the cutoff. */
  pruneSecurityEvents(cutoff: Date): Promise<number> {
    return this.inChunks(
      `DELETE FROM security_events e WHERE e.id IN (SELECT id FROM security_events WHERE detected_at < $1 ORDER BY detected_at LIMIT $2)`,
      cutoff,
    );
  }

  /**
   * Work orders closed before the cutoff (done, cancelled, risk accepted), with their history and
   * finding links (ON DELETE CASCADE). An active order is never pruned, whatever its age.
   */
  pruneClosedWorkOrders(cutoff: Date): Promise<number> {
    return this.inChunks(
      `DELETE FROM work_orders w WHERE w.id IN (
         SELECT id FROM work_orders
          WHERE status IN ('done', 'cancelled', 'risk_accepted') AND COALESCE(done_at, updated_at) < $1
          LIMIT $2)`,
      cutoff,
    );
  }

  private async inChunks(sql: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      // Wrapped so the driver returns the count as a row (a bare DELETE returns [rows, count]).
      const [{ n }]: Array<{ n: number }> = await this.dataSource.query(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, [
        cutoff,
        PRUNE_CHUNK,
      ]);
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }
}
