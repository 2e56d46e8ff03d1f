import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import { Principal } from './role';
import { DataProtector } from './data-protector';
import { SEALED_COLUMNS, SealedColumn } from './sealed-columns';

export interface ColumnRotationReport {
  column: string;
  /** Values re-sealed under the current key by this run. */
  resealed: number;
  /** Values this run could not open (a key missing from the ring, or altered): left as they are. */
  unreadable: number;
  /** Values the service rewrote between this run's read and its write: left to the service's write. */
  changedMeanwhile: number;
  /** After the run. */
  underCurrentKey: number;
  /** After the run; 0 means the previous key can be retired, as far as this column goes. */
  underOtherKeys: number;
}

export interface RotationReport {
  currentKeyId: string;
  columns: ColumnRotationReport[];
  /** True when every sealed value is under the current key. */
  complete: boolean;
}

const ROTATION_ACTOR: Principal = { ...SYSTEM_ACTOR, name: 'rotate-data-key' };

/**
 * Re-seals every stored value under the keyring's current key, in batches of `batchSize` rows
 * (one statement each, so the service keeps running alongside). Idempotent: values already
 * under the current key are not touched, so a second run re-seals nothing. Never reads or
 * writes plaintext anywhere but memory; the audit entry holds counts only.
 */
export async function rotateDataKey(dataSource: DataSource, protector: DataProtector, batchSize = 500): Promise<RotationReport> {
  const columns: ColumnRotationReport[] = [];
  for (const sealed of SEALED_COLUMNS) columns.push(await rotateColumn(dataSource, protector, sealed, batchSize));
  const report = { currentKeyId: protector.keyId, columns, complete: columns.every((c) => c.underOtherKeys === 0) };
  await new AuditRepository(dataSource).append(dataSource.manager, ROTATION_ACTOR, {
    action: 'rotate-data-key',
    entityType: 'data-key',
    entityId: protector.keyId,
    changes: { columns, complete: report.complete },
  });
  return report;
}

async function rotateColumn(dataSource: DataSource, protector: DataProtector, c: SealedColumn, batchSize: number): Promise<ColumnRotationReport> {
  const keyId = keyIdExpression(c);
  const report: ColumnRotationReport = { column: c.name, resealed: 0, unreadable: 0, changedMeanwhile: 0, underCurrentKey: 0, underOtherKeys: 0 };
  // Keyset on id: rows that cannot be opened stay behind, so the walk must move past them.
  let after: string | null = null;
  for (;;) {
    const rows: Array<{ id: string; sealed: string }> = await dataSource.query(
      `SELECT id::text AS id, ${c.column} AS sealed FROM ${c.table}
       WHERE ${c.column} IS NOT NULL AND ${keyId} IS DISTINCT FROM $1 AND ($2::uuid IS NULL OR id > $2::uuid)
       ORDER BY id LIMIT $3`,
      [protector.keyId, after, batchSize],
    );
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    const batch: Array<{ id: string; old: string; sealed: string }> = [];
    for (const row of rows) {
      try {
        batch.push({ id: row.id, old: row.sealed, sealed: protector.reseal(row.sealed, c.context(row.id)) });
      } catch {
        report.unreadable++;
      }
    }
    if (batch.length) {
      // Only where the value is still the one read: a concurrent write by the service wins.
      // (A CTE, because TypeORM answers a bare UPDATE ... RETURNING as [rows, count].)
      const updated: unknown[] = await dataSource.query(
        `WITH changed AS (
           UPDATE ${c.table} t SET ${c.column} = v.sealed${c.keyIdColumn ? `, ${c.keyIdColumn} = $4` : ''}
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, old, sealed)
           WHERE t.id = v.id AND t.${c.column} = v.old
           RETURNING t.id)
         SELECT id FROM changed`,
        [batch.map((b) => b.id), batch.map((b) => b.old), batch.map((b) => b.sealed), ...(c.keyIdColumn ? [protector.keyId] : [])],
      );
      report.resealed += updated.length;
      report.changedMeanwhile += batch.length - updated.length;
    }
    if (rows.length < batchSize) break;
  }
  const [counts]: Array<{ current: number; other: number }> = await dataSource.query(
    `SELECT count(*) FILTER (WHERE ${keyId} = $1)::int AS current, count(*) FILTER (WHERE ${keyId} IS DISTINCT FROM $1)::int AS other
     FROM ${c.table} WHERE ${c.column} IS NOT NULL`,
    [protector.keyId],
  );
  report.underCurrentKey = counts.current;
  report.underOtherKeys = counts.other;
  return report;
}

/** The key id of a row: its own column when there is one, else read off the sealed text. */
function keyIdExpression(c: SealedColumn): string {
  return c.keyIdColumn ?? `split_part(${c.column}, '.', 2)`;
}
