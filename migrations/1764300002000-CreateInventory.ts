import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Manufacturers, device models and devices, with the firmware history of each device.
 * Indexes serve the device list at a million rows: keyset paging on (created_at, id) and
 * (last_seen_at, id), prefix search on serial and asset tag, and the usual filters.
 */
export class CreateInventory1764300002000 implements MigrationInterface {
  name = 'CreateInventory1764300002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE manufacturers (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name       varchar(200) NOT NULL,
        aliases    text[]       NOT NULL DEFAULT '{}',
        created_at timestamptz  NOT NULL DEFAULT now(),
        updated_at timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX manufacturers_name_ci ON manufacturers (lower(name))`);
    await q.query(`
      ALTER TABLE api_keys ADD CONSTRAINT api_keys_manufacturer_fk
        FOREIGN KEY (manufacturer_id) REFERENCES manufacturers (id) ON DELETE RESTRICT`);

    await q.query(`
      CREATE TABLE device_models (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        manufacturer_id uuid         NOT NULL REFERENCES manufacturers (id) ON DELETE RESTRICT,
        model_number    varchar(100) NOT NULL,
        name            varchar(200) NOT NULL,
        category        varchar(20)  NOT NULL CHECK (category IN ('wearable', 'implantable', 'facility', 'other')),
        gtin            char(14),
        aliases         text[]       NOT NULL DEFAULT '{}',
        created_at      timestamptz  NOT NULL DEFAULT now(),
        updated_at      timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX device_models_number_ci ON device_models (manufacturer_id, lower(model_number))`);
    await q.query(`CREATE UNIQUE INDEX device_models_gtin ON device_models (gtin) WHERE gtin IS NOT NULL`);

    await q.query(`
      CREATE TABLE devices (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id          uuid         NOT NULL REFERENCES device_models (id) ON DELETE RESTRICT,
        serial_number     varchar(100) NOT NULL,
        asset_tag         varchar(100),
        udi               varchar(300),
        udi_di            varchar(50),
        lot_number        varchar(50),
        expiration_date   date,
        manufacture_date  date,
        firmware_version  varchar(100),
        location          varchar(200),
        department        varchar(200),
        status            varchar(20)  NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'maintenance', 'decommissioned')),
        connectivity      varchar(20)  NOT NULL DEFAULT 'never_seen' CHECK (connectivity IN ('never_seen', 'online', 'offline')),
        last_seen_at      timestamptz(3),
        last_heartbeat_sent_at timestamptz,
        battery_percent   smallint,
        ip_address        varchar(45),
        decommissioned_at timestamptz,
        -- Millisecond precision: keyset cursors carry these values through JavaScript Dates.
        created_at        timestamptz(3) NOT NULL DEFAULT now(),
        updated_at        timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX devices_model_serial ON devices (model_id, serial_number)`);
    await q.query(`CREATE UNIQUE INDEX devices_asset_tag ON devices (asset_tag) WHERE asset_tag IS NOT NULL`);
    await q.query(`CREATE INDEX devices_created_id ON devices (created_at, id)`);
    // Never-seen devices sort first in last-seen order, and keyset paging needs no NULL case.
    await q.query(`CREATE INDEX devices_last_seen_id ON devices ((COALESCE(last_seen_at, '-infinity'::timestamptz)), id)`);
    await q.query(`CREATE INDEX devices_serial_id ON devices (serial_number, id)`);
    await q.query(`CREATE INDEX devices_serial_prefix ON devices (lower(serial_number) text_pattern_ops)`);
    await q.query(`CREATE INDEX devices_asset_tag_prefix ON devices (lower(asset_tag) text_pattern_ops) WHERE asset_tag IS NOT NULL`);
    await q.query(`CREATE INDEX devices_status_created ON devices (status, created_at, id)`);
    await q.query(`CREATE INDEX devices_department ON devices (department, created_at, id)`);
    await q.query(`CREATE INDEX devices_location ON devices (location, created_at, id)`);
    await q.query(`CREATE INDEX devices_firmware ON devices (firmware_version)`);
    await q.query(`CREATE INDEX devices_connectivity_seen ON devices (connectivity, last_seen_at)`);

    await q.query(`
      CREATE TABLE firmware_history (
        id            bigserial PRIMARY KEY,
        device_id     uuid         NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        from_version  varchar(100),
        to_version    varchar(100),
        source        varchar(20)  NOT NULL CHECK (source IN ('registration', 'edit', 'heartbeat', 'import')),
        changed_at    timestamptz  NOT NULL DEFAULT clock_timestamp(),
        actor_id      varchar(100)
      )`);
    await q.query(`CREATE INDEX firmware_history_device ON firmware_history (device_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE firmware_history`);
    await q.query(`DROP TABLE devices`);
    await q.query(`DROP TABLE device_models`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_manufacturer_fk`);
    await q.query(`DROP TABLE manufacturers`);
  }
}
