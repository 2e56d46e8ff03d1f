import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A device's patient link (the patient a wearable is attached to), kept only sealed with
 * AES-256-GCM (`v1.<keyId>.<iv>.<ciphertext>.<tag>`). The key id is repeated in its own column
 * so that a key rotation finds the rows still under an old key by index, not by a table scan.
 * The CHECK refuses anything that is not a value sealed under the key its row names: plaintext
 * can never be stored here by mistake.
 */
export class AddDevicePatientRef1764300008000 implements MigrationInterface {
  name = 'AddDevicePatientRef1764300008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices ADD COLUMN patient_ref_sealed text, ADD COLUMN patient_ref_key_id varchar(8)`);
    await q.query(`
      ALTER TABLE devices ADD CONSTRAINT devices_patient_ref_sealed CHECK (
        (patient_ref_sealed IS NULL AND patient_ref_key_id IS NULL)
        OR (patient_ref_key_id ~ '^[0-9a-f]{8}$'
            AND patient_ref_sealed ~ ('^v1\\.' || patient_ref_key_id || '\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'))
      )`);
    await q.query(`CREATE INDEX devices_patient_ref_key_id ON devices (patient_ref_key_id) WHERE patient_ref_key_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX devices_patient_ref_key_id`);
    await q.query(`ALTER TABLE devices DROP CONSTRAINT devices_patient_ref_sealed, DROP COLUMN patient_ref_key_id, DROP COLUMN patient_ref_sealed`);
  }
}
