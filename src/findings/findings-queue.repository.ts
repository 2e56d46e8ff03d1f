import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type QueueKind = 'device' | 'advisory';

/** One owed recompute, at the version it was read: only that version may be marked done. */
export interface QueuedWork {
  kind: QueueKind;
  targetId: string;
  reason: string;
  version: string;
}

export interface QueueStats {
  depth: number;
  oldestEnqueuedAt: Date | null;
  due: number;
}

/** The longest wait between two attempts at an entry that keeps failing. */
const MAX_BACKOFF_S = 60;

type Row = { kind: QueueKind; target_id: string; reason: string; version: string };
const toWork = (r: Row): QueuedWork => ({ kind: r.kind, targetId: r.target_id, reason: r.reason, version: r.version });

/**
 * `findings_recompute_queue`: the recomputes that changes owe (written by the triggers of
 * migration 1764300013000, in the changes' own transactions) until a drain has done them.
 */
@Injectable()
export class FindingsQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What is owed for these targets, whatever its due time: the drain of the change that queued it. */
  async forTargets(m: EntityManager, kind: QueueKind, targetIds: string[]): Promise<QueuedWork[]> {
    if (!targetIds.length) return [];
    const rows: Row[] = await m.query(
      `SELECT kind, target_id, reason, version::text AS version FROM findings_recompute_queue WHERE kind = $1 AND target_id = ANY($2::uuid[])`,
      [kind, targetIds],
    );
    return rows.map(toWork);
  }

  /**
   * The oldest due entries, at most so many of each kind; with `failedToo`, also those waiting
   * out a backoff (a fresh start is a good moment to try them again).
   */
  async due(m: EntityManager, limits: { devices: number; advisories: number }, failedToo = false): Promise<QueuedWork[]> {
    const rows: Row[] = await m.query(
      `(SELECT kind, target_id, reason, version::text AS version FROM findings_recompute_queue
         WHERE kind = 'device' AND (due_at <= now() OR ($3 AND attempts > 0)) ORDER BY due_at LIMIT $1)
       UNION ALL
       (SELECT kind, target_id, reason, version::text AS version FROM findings_recompute_queue
         WHERE kind = 'advisory' AND (due_at <= now() OR ($3 AND attempts > 0)) ORDER BY due_at LIMIT $2)`,
      [limits.devices, limits.advisories, failedToo],
    );
    return rows.map(toWork);
  }

  /** Done, in the recompute's transaction; an entry changed since it was read stays for another drain. */
  async complete(m: EntityManager, work: QueuedWork[]): Promise<void> {
    if (!work.length) return;
    await m.query(
      `DELETE FROM findings_recompute_queue q
        USING unnest($1::varchar[], $2::uuid[], $3::bigint[]) AS w(kind, target_id, version)
        WHERE q.kind = w.kind AND q.target_id = w.target_id AND q.version = w.version`,
      [work.map((w) => w.kind), work.map((w) => w.targetId), work.map((w) => w.version)],
    );
  }

  /** After a failed attempt: try again after 2, 4, 8 ... seconds, at most MAX_BACKOFF_S. */
  async postpone(work: QueuedWork[], error: string): Promise<void> {
    if (!work.length) return;
    await this.dataSource.query(
      `UPDATE findings_recompute_queue q
          SET attempts = q.attempts + 1, last_error = left($3, 500),
              due_at = now() + make_interval(secs => LEAST($4, power(2, LEAST(q.attempts + 1, 16))))
         FROM unnest($1::varchar[], $2::uuid[]) AS w(kind, target_id)
        WHERE q.kind = w.kind AND q.target_id = w.target_id`,
      [work.map((w) => w.kind), work.map((w) => w.targetId), error, MAX_BACKOFF_S],
    );
  }

  /** Queues devices as due now (the triggers cover every change; this is for drift found later). */
  async enqueueDevices(deviceIds: string[], reason: string): Promise<void> {
    if (!deviceIds.length) return;
    await this.dataSource.query(
      `INSERT INTO findings_recompute_queue (kind, target_id, reason, due_at)
       SELECT 'device', id, $2, now() FROM unnest($1::uuid[]) AS u(id) ORDER BY id
       ON CONFLICT (kind, target_id) DO UPDATE SET version = nextval('findings_recompute_queue_version'), due_at = now()`,
      [[...new Set(deviceIds)], reason],
    );
  }

  async stats(failedToo = false): Promise<QueueStats> {
    const [row]: Array<{ depth: number; oldest: Date | null; due: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS depth, min(enqueued_at) AS oldest, count(*) FILTER (WHERE due_at <= now() OR ($1 AND attempts > 0))::int AS due
         FROM findings_recompute_queue`,
      [failedToo],
    );
    return { depth: row.depth, oldestEnqueuedAt: row.oldest, due: row.due };
  }
}
