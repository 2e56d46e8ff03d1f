import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

export interface MigrationReplay<T> {
  /** Taken back in this order with their down(): the schema before them, as an older service left it. */
  down: MigrationInterface[];
  /** On that older schema: the data it held, put back the way the older service stored it (none: the rows down() left). */
  before?: (runner: QueryRunner) => Promise<T>;
  /** Applied again in this order with their up(): the migrations under test carry that data over. */
  up: MigrationInterface[];
}

/**
 * A migration-equivalence setup on the app's own database: some migrations taken back, older data
 * put in, the migrations applied again, all in one transaction on one connection, so a failure
 * leaves the schema as the app expects it. Returns what `before` returned.
 */
export async function replayMigrations<T>(dataSource: DataSource, replay: Required<MigrationReplay<T>>): Promise<T>;
export async function replayMigrations(dataSource: DataSource, replay: Omit<MigrationReplay<void>, 'before'>): Promise<void>;
export async function replayMigrations<T>(dataSource: DataSource, replay: MigrationReplay<T>): Promise<T | undefined> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    for (const m of replay.down) await m.down(runner);
    const result = await replay.before?.(runner);
    for (const m of replay.up) await m.up(runner);
    await runner.commitTransaction();
    return result;
  } catch (e) {
    await runner.rollbackTransaction();
    throw e;
  } finally {
    await runner.release();
  }
}
