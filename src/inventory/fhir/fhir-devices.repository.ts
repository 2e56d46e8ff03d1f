import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { escapeLike } from '../device-models.repository';
import type { DeviceStatus } from '../entities/device.entity';
import type { FhirDeviceSource } from './device-to-fhir';

export interface FhirDeviceFilter {
  /** Exact serial numbers or asset tags. */
  identifiers?: string[];
  /** Case-insensitive prefixes of the manufacturer name. */
  manufacturers?: string[];
  /** Case-insensitive prefixes of the model number. */
  models?: string[];
  statuses?: DeviceStatus[];
}

export interface FhirDeviceRow extends FhirDeviceSource {
  createdAt: Date;
  /** Opened (or dropped) by the service according to the caller's role; never mapped as is. */
  patientRefSealed: string | null;
}

/** Keyset position: the (created_at, id) of the last row of the previous page. */
export interface FhirDeviceKey {
  createdAt: string;
  id: string;
}

const COLUMNS = `
  d.id, d.serial_number AS "serialNumber", d.asset_tag AS "assetTag", d.udi, d.udi_di AS "udiDi",
  d.lot_number AS "lotNumber", d.expiration_date::text AS "expirationDate", d.manufacture_date::text AS "manufactureDate",
  d.firmware_version AS "firmwareVersion", d.location, d.status, p.connectivity,
  d.updated_at AS "updatedAt", d.created_at AS "createdAt", d.patient_ref_sealed AS "patientRefSealed",
  m.name AS "modelName", m.model_number AS "modelNumber", f.name AS "manufacturerName"`;

const FROM = `
  FROM devices d
  JOIN device_presence p ON p.device_id = d.id
  JOIN device_models m ON m.id = d.model_id
  JOIN manufacturers f ON f.id = m.manufacturer_id`;

/** Devices joined with their model and manufacturer, as the FHIR mapping needs them. */
@Injectable()
export class FhirDevicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<FhirDeviceRow | null> {
    const rows: FhirDeviceRow[] = await this.dataSource.query(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** One page in (created_at, id) order, the same keyset as GET /devices; limit + 1 rows tell whether more follow. */
  async page(filter: FhirDeviceFilter, limit: number, after?: FhirDeviceKey): Promise<{ rows: FhirDeviceRow[]; last: FhirDeviceKey | null }> {
    const { where, params } = this.where(filter);
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(d.created_at, d.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: FhirDeviceRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at, d.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const tail = page[page.length - 1];
    return { rows: page, last: rows.length > limit && tail ? { createdAt: tail.createdAt.toISOString(), id: tail.id } : null };
  }

  async count(filter: FhirDeviceFilter): Promise<number> {
    const { where, params } = this.where(filter);
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
    return n;
  }

  private where(filter: FhirDeviceFilter): { where: string[]; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.identifiers) {
      params.push(filter.identifiers);
      where.push(`(d.serial_number = ANY($${params.length}::text[]) OR d.asset_tag = ANY($${params.length}::text[]))`);
    }
    if (filter.manufacturers) {
      params.push(filter.manufacturers.map((p) => `${escapeLike(p.toLowerCase())}%`));
      where.push(`lower(f.name) LIKE ANY($${params.length}::text[])`);
    }
    if (filter.models) {
      params.push(filter.models.map((p) => `${escapeLike(p.toLowerCase())}%`));
      where.push(`lower(m.model_number) LIKE ANY($${params.length}::text[])`);
    }
    if (filter.statuses) {
      params.push(filter.statuses);
      where.push(`d.status = ANY($${params.length}::text[])`);
    }
    return { where, params };
  }
}
