import { Module, OnApplicationShutdown } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { AdvisoriesController } from './advisories.controller';
import { AdvisoriesRepository } from './advisories.repository';
import { AdvisoriesService } from './advisories.service';
import { AdvisoryChanges } from './advisory-changes';
import { CatalogRemapListener } from './catalog-remap.listener';
import { closeCsafValidator } from './csaf';
import { CsafImportService } from './csaf-import.service';
import { FirmwareReleasesController } from './firmware-releases.controller';
import { FirmwareReleasesRepository } from './firmware-releases.repository';
import { FirmwareReleasesService } from './firmware-releases.service';
import { ProductMappingsController } from './product-mappings.controller';
import { ProductMappingsRepository } from './product-mappings.repository';
import { ProductMappingsService } from './product-mappings.service';

/** Stops the CSAF validator's worker thread with the app. */
class CsafValidatorLifecycle implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await closeCsafValidator();
  }
}

@Module({
  imports: [InventoryModule],
  controllers: [AdvisoriesController, FirmwareReleasesController, ProductMappingsController],
  providers: [
    AdvisoriesRepository,
    AdvisoryChanges,
    AdvisoriesService,
    CsafImportService,
    CatalogRemapListener,
    FirmwareReleasesRepository,
    FirmwareReleasesService,
    ProductMappingsRepository,
    ProductMappingsService,
    CsafValidatorLifecycle,
  ],
})
export class AdvisoriesModule {}
