import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RejectionQueryDto, UnknownDeviceQueryDto } from './dto/ingest-query.dto';

export interface RejectionRow {
  id: string;
  received_at: Date;
  topic: string;
  reason: string;
  detail: string;
  payload: string | null;
}

export interface UnknownDeviceRow {
  claimed_device_id: string;
  reason: string;
  first_seen_at: Date;
  last_seen_at: Date;
  heartbeat_count: string;
  claimed_firmware: string | null;
  claimed_serial: string | null;
  ip_address: string | null;
}

/** Read side of ingestion: what was refused and who was seen that we do not know. */
@Injectable()
export class IngestRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  rejections(q: RejectionQueryDto): Promise<RejectionRow[]> {
    return this.dataSource.query(
      `SELECT id, received_at, topic, reason, detail, payload FROM ingest_rejections
        WHERE ($1::varchar IS NULL OR reason = $1) AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [q.reason ?? null, q.cursor ?? null, q.limit ?? 100],
    );
  }

  unknownDevices(q: UnknownDeviceQueryDto): Promise<UnknownDeviceRow[]> {
    return this.dataSource.query(
      `SELECT claimed_device_id, reason, first_seen_at, last_seen_at, heartbeat_count, claimed_firmware, claimed_serial, ip_address
         FROM unknown_devices
        WHERE ($1::varchar IS NULL OR reason = $1) AND ($2::timestamptz IS NULL OR last_seen_at >= $2)
        ORDER BY last_seen_at DESC, id DESC LIMIT $3`,
      [q.reason ?? null, q.seenAfter ?? null, q.limit ?? 100],
    );
  }
}
