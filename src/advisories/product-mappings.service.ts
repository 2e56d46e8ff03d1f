import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { InvalidInputError } from '../common/domain-errors';
import { DeviceModelsRepository } from '../inventory/device-models.repository';
import { ManufacturersRepository } from '../inventory/manufacturers.repository';
import { CatalogRemapListener } from './catalog-remap.listener';
import { normalizeName } from './csaf';
import { PutProductMappingDto, ProductMappingQueryDto } from './dto/product-mapping.dto';
import { ProductMappingRecord, ProductMappingsRepository } from './product-mappings.repository';

@Injectable()
export class ProductMappingsService {
  constructor(
    private readonly mappings: ProductMappingsRepository,
    private readonly models: DeviceModelsRepository,
    private readonly manufacturers: ManufacturersRepository,
    private readonly remap: CatalogRemapListener,
    private readonly audit: AuditService,
  ) {}

  /**
   * Remembers that this vendor's product is that model, then maps every stored advisory naming
   * it (before answering, so the findings already follow). Later imports read the mapping too.
   */
  async put(actor: Principal, dto: PutProductMappingDto): Promise<ProductMappingRecord> {
    const vendorKey = normalizeName(dto.vendor);
    const productKey = normalizeName(dto.productName);
    if (!vendorKey) throw new InvalidInputError('vendor: must contain a letter or a digit');
    if (!productKey) throw new InvalidInputError('productName: must contain a letter or a digit');
    const model = await this.models.findById(dto.modelId);
    if (!model) throw new InvalidInputError(`modelId: there is no device model ${dto.modelId}`);
    await this.assertVendorOf(vendorKey, dto.vendor, model.manufacturerId, dto.modelId);

    const { mapping, previousModelId } = await this.mappings.transaction(async (m) => {
      const written = await this.mappings.upsert(m, {
        vendor: dto.vendor.trim(),
        productName: dto.productName.trim(),
        vendorKey,
        productKey,
        modelId: dto.modelId,
      });
      await this.audit.record(m, actor, {
        action: written.previousModelId === null ? 'create' : 'update',
        entityType: 'product_mapping',
        entityId: written.mapping.id,
        changes: { vendor: written.mapping.vendor, productName: written.mapping.productName, modelId: dto.modelId, previousModelId: written.previousModelId },
      });
      return written;
    });
    // A new mapping can only map what did not map; another model for a known product rewrites
    // the advisories where it mapped already.
    if (previousModelId === null) await this.remap.onCatalogChanged();
    else if (previousModelId !== mapping.modelId) await this.remap.onProductRemapped();
    return mapping;
  }

  list(q: ProductMappingQueryDto) {
    return this.mappings.list({ limit: q.limit ?? 100, offset: q.offset ?? 0 });
  }

  /**
   * A vendor the catalog knows (by name or alias) must be the model's manufacturer: mapping
   * one manufacturer's product to another's model would file its advisory under the wrong one.
   */
  private async assertVendorOf(vendorKey: string, vendor: string, manufacturerId: string, modelId: string): Promise<void> {
    const known = (await this.manufacturers.list()).find((x) => [x.name, ...x.aliases].some((n) => normalizeName(n) === vendorKey));
    if (known && known.id !== manufacturerId) {
      throw new InvalidInputError(`modelId: device model ${modelId} is not a model of "${known.name}", the manufacturer named "${vendor}"`);
    }
  }
}
