import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeviceModelsController } from './device-models.controller';
import { DeviceModelsRepository } from './device-models.repository';
import { DeviceModelsService } from './device-models.service';
import { DevicesController } from './devices.controller';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';
import { DeviceModelEntity } from './entities/device-model.entity';
import { DeviceEntity } from './entities/device.entity';
import { FirmwareHistoryEntity } from './entities/firmware-history.entity';
import { ManufacturerEntity } from './entities/manufacturer.entity';
import { FhirDevicesController } from './fhir/fhir-devices.controller';
import { FhirDevicesRepository } from './fhir/fhir-devices.repository';
import { FhirDevicesService } from './fhir/fhir-devices.service';
import { DeviceImportController } from './import/device-import.controller';
import { DeviceImportRepository } from './import/device-import.repository';
import { DeviceImportService } from './import/device-import.service';
import { ManufacturersController } from './manufacturers.controller';
import { ManufacturersRepository } from './manufacturers.repository';
import { ManufacturersService } from './manufacturers.service';
import { PatientLinks } from './patient-links';

@Module({
  imports: [TypeOrmModule.forFeature([ManufacturerEntity, DeviceModelEntity, DeviceEntity, FirmwareHistoryEntity])],
  controllers: [ManufacturersController, DeviceModelsController, DevicesController, DeviceImportController, FhirDevicesController],
  providers: [
    ManufacturersRepository,
    ManufacturersService,
    DeviceModelsRepository,
    DeviceModelsService,
    DevicesRepository,
    DevicesService,
    DeviceImportRepository,
    DeviceImportService,
    FhirDevicesRepository,
    FhirDevicesService,
    PatientLinks,
  ],
  exports: [ManufacturersRepository, DeviceModelsRepository, DevicesRepository, DevicesService],
})
export class InventoryModule {}
