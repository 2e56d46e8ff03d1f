import { Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Registry } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { DeviceModelEntity } from '../../src/inventory/entities/device-model.entity';
import { DeviceEntity } from '../../src/inventory/entities/device.entity';
import { FirmwareHistoryEntity } from '../../src/inventory/entities/firmware-history.entity';
import { ManufacturerEntity } from '../../src/inventory/entities/manufacturer.entity';
import { DeviceModelsRepository } from '../../src/inventory/device-models.repository';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { ManufacturersRepository } from '../../src/inventory/manufacturers.repository';
import { createTestDatabase, dropTestDatabase } from '../support/test-app';

/**
 * Services and repositories against a real database, without HTTP, MQTT or the rest of the app:
 * the migrated schema (triggers included) of a fresh PostgreSQL database per file when
 * TEST_DATABASE_URL is set, else an in-memory PGlite, and only the providers a test names.
 */
export interface DatabaseTier {
  module: TestingModule;
  dataSource: DataSource;
  close: () => Promise<void>;
}

export async function startDatabaseTier(providers: Provider[]): Promise<DatabaseTier> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule,
      TypeOrmModule.forFeature([ManufacturerEntity, DeviceModelEntity, DeviceEntity, FirmwareHistoryEntity]),
    ],
    providers: [ManufacturersRepository, DeviceModelsRepository, DevicesRepository, { provide: Registry, useValue: new Registry() }, ...providers],
  }).compile();
  await module.init();
  return {
    module,
    dataSource: module.get(DataSource),
    close: async () => {
      await module.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** A manufacturer with one model, written through the inventory repositories. */
export async function seedModel(tier: DatabaseTier): Promise<{ manufacturerId: string; modelId: string }> {
  const manufacturers = tier.module.get(ManufacturersRepository);
  const models = tier.module.get(DeviceModelsRepository);
  return manufacturers.transaction(async (m) => {
    const manufacturer = await manufacturers.insert(m, { name: `Maker ${Math.random().toString(36).slice(2, 8)}`, aliases: [] });
    const model = await models.insert(m, { manufacturerId: manufacturer.id, modelNumber: 'M-1', name: 'Pump', category: 'facility', gtin: null, aliases: [] });
    return { manufacturerId: manufacturer.id, modelId: model.id };
  });
}

export async function seedDevice(tier: DatabaseTier, modelId: string, firmwareVersion: string): Promise<DeviceEntity> {
  const devices = tier.module.get(DevicesRepository);
  return devices.transaction((m: EntityManager) =>
    devices.insert(m, {
      modelId,
      serialNumber: `SN-${Math.random().toString(36).slice(2, 10)}`,
      firmwareVersion,
      assetTag: null,
      udi: null,
      location: null,
      department: null,
    }),
  );
}
