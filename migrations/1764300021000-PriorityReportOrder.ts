import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outdated-firmware report is sorted by SSVC decision, then EPSS, then CVSS: its index
 * follows, so that the first page stays an index scan. The severity-first index had no other
 * reader and is dropped (each summary write maintained it for nothing).
 */
export class PriorityReportOrder1764300021000 implements MigrationInterface {
  name = 'PriorityReportOrder1764300021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX device_exposure_priority ON device_exposure (max_decision_rank DESC, max_epss DESC, max_cvss DESC, device_id DESC)`);
    await q.query(`DROP INDEX device_exposure_rank`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX device_exposure_rank ON device_exposure (max_severity_rank DESC, max_cvss DESC, device_id DESC)`);
    await q.query(`DROP INDEX device_exposure_priority`);
  }
}
