import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

@Injectable()
export class DeviceCredentialsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Issues or rotates: the old secret stops working in the same commit. */
  async upsert(m: EntityManager, deviceId: string, username: string, secretHash: string, issuedBy: string): Promise<void> {
    await m.query(
      `INSERT INTO device_credentials (device_id, username, secret_hash, issued_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_id) DO UPDATE SET username = EXCLUDED.username, secret_hash = EXCLUDED.secret_hash, issued_at = now(), issued_by = EXCLUDED.issued_by`,
      [deviceId, username, secretHash, issuedBy],
    );
  }

  /** Credentials of a device that may still talk: decommissioned devices are refused. */
  async findActive(username: string): Promise<{ deviceId: string; secretHash: string } | null> {
    const rows: Array<{ device_id: string; secret_hash: string }> = await this.dataSource.query(
      `SELECT c.device_id, c.secret_hash FROM device_credentials c JOIN devices d ON d.id = c.device_id
        WHERE c.username = $1 AND d.status <> 'decommissioned'`,
      [username],
    );
    return rows[0] ? { deviceId: rows[0].device_id, secretHash: rows[0].secret_hash } : null;
  }
}
