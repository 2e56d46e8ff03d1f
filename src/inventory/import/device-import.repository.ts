import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceModelEntity } from '../entities/device-model.entity';
import { ModelLookup, ModelName, nameKey, NewDevice, serialKey, Taken } from './import-rules';

interface NameMatchRow {
  manufacturer: string;
  model_number: string;
  manufacturer_id: string | null;
  id: string | null;
  model_number_found: string | null;
  name: string | null;
  category: DeviceModelEntity['category'] | null;
  gtin: string | null;
}

/** The set-based lookups and the one bulk insert of a device import. */
@Injectable()
export class DeviceImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every model the file names, in one statement: manufacturers by name or alias and model
   * numbers, both ignoring case (as the unique indexes compare them).
   */
  async findModelsByName(names: ModelName[]): Promise<ModelLookup['byName']> {
    const byName: ModelLookup['byName'] = new Map();
    if (!names.length) return byName;
    const rows: NameMatchRow[] = await this.dataSource.query(
      `SELECT k.manufacturer, k.model_number, f.id AS manufacturer_id, m.id, m.model_number AS model_number_found, m.name, m.category, m.gtin
         FROM unnest($1::text[], $2::text[]) AS k(manufacturer, model_number)
         LEFT JOIN manufacturers f
           ON lower(f.name) = lower(k.manufacturer)
           OR lower(k.manufacturer) = ANY (SELECT lower(a) FROM unnest(f.aliases) AS a)
         LEFT JOIN device_models m ON m.manufacturer_id = f.id AND lower(m.model_number) = lower(k.model_number)`,
      [names.map((n) => n.manufacturer), names.map((n) => n.modelNumber)],
    );
    for (const r of rows) {
      const key = nameKey({ manufacturer: r.manufacturer, modelNumber: r.model_number });
      const match = byName.get(key) ?? { manufacturerFound: false, models: [] };
      match.manufacturerFound ||= r.manufacturer_id !== null;
      if (r.id)
        match.models.push(
          Object.assign(new DeviceModelEntity(), {
            id: r.id,
            manufacturerId: r.manufacturer_id,
            modelNumber: r.model_number_found,
            name: r.name,
            category: r.category,
            gtin: r.gtin,
          }),
        );
      byName.set(key, match);
    }
    return byName;
  }

  /**
   * Which of these serials (per model) and asset tags the inventory already holds. The two
   * statements run one after the other, never in parallel: the embedded PGlite socket
   * multiplexes connections onto one session, and two large extended-protocol messages from
   * different connections can interleave there ("bind message supplies 2 parameters, but
   * prepared statement requires 1").
   */
  async findTaken(devices: { modelId: string; serialNumber: string; assetTag: string | null }[]): Promise<Taken> {
    const serials: { model_id: string; serial_number: string }[] = await this.dataSource.query(
      `SELECT d.model_id, d.serial_number FROM devices d
         JOIN unnest($1::uuid[], $2::text[]) AS k(model_id, serial_number) ON d.model_id = k.model_id AND d.serial_number = k.serial_number`,
      [devices.map((d) => d.modelId), devices.map((d) => d.serialNumber)],
    );
    const tags: { asset_tag: string }[] = await this.dataSource.query(`SELECT asset_tag FROM devices WHERE asset_tag = ANY($1::text[])`, [
      devices.flatMap((d) => (d.assetTag === null ? [] : [d.assetTag])),
    ]);
    return { serials: new Set(serials.map((r) => serialKey(r.model_id, r.serial_number))), assetTags: new Set(tags.map((r) => r.asset_tag)) };
  }

  /** One INSERT ... SELECT FROM unnest for every device; ids come back in the order given. */
  async insertDevices(manager: EntityManager, devices: NewDevice[]): Promise<string[]> {
    const column = <K extends keyof NewDevice>(key: K) => devices.map((d) => d[key]);
    const inserted: { id: string; model_id: string; serial_number: string }[] = await manager.query(
      `INSERT INTO devices (model_id, serial_number, asset_tag, udi, udi_di, lot_number, expiration_date, manufacture_date, firmware_version, location, department,
                            system_exposure, mission_impact, safety_impact)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::date[], $8::date[], $9::varchar[], $10::varchar[], $11::varchar[],
                            $12::varchar[], $13::varchar[], $14::varchar[])
       RETURNING id, model_id, serial_number`,
      [
        column('modelId'),
        column('serialNumber'),
        column('assetTag'),
        column('udi'),
        column('udiDi'),
        column('lotNumber'),
        column('expirationDate'),
        column('manufactureDate'),
        column('firmwareVersion'),
        column('location'),
        column('department'),
        column('systemExposure'),
        column('missionImpact'),
        column('safetyImpact'),
      ],
    );
    // RETURNING order is not promised by SQL; (model, serial) is unique, so map back through it.
    const ids = new Map(inserted.map((r) => [serialKey(r.model_id, r.serial_number), r.id]));
    return devices.map((d) => ids.get(serialKey(d.modelId, d.serialNumber))!);
  }
}
