import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogProductMapping } from './csaf-product-mapper';

export interface ProductMappingRecord {
  id: string;
  vendor: string;
  productName: string;
  vendorKey: string;
  productKey: string;
  modelId: string;
  manufacturerId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductMappingWrite {
  vendor: string;
  productName: string;
  vendorKey: string;
  productKey: string;
  modelId: string;
}

interface ProductMappingRow {
  id: string;
  vendor: string;
  product_name: string;
  vendor_key: string;
  product_key: string;
  model_id: string;
  manufacturer_id: string;
  created_at: Date;
  updated_at: Date;
  /** Only from upsert: true when the row was inserted, false when an existing one was changed. */
  inserted?: boolean;
}

const SELECT = `SELECT p.id, p.vendor, p.product_name, p.vendor_key, p.product_key, p.model_id, dm.manufacturer_id, p.created_at, p.updated_at
                  FROM product_mappings p JOIN device_models dm ON dm.id = p.model_id`;

function toRecord(r: ProductMappingRow): ProductMappingRecord {
  return {
    id: r.id,
    vendor: r.vendor,
    productName: r.product_name,
    vendorKey: r.vendor_key,
    productKey: r.product_key,
    modelId: r.model_id,
    manufacturerId: r.manufacturer_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** People's mappings of advisory products to device models (see migration 1764300018000). */
@Injectable()
export class ProductMappingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One mapping per product: a second answer for the same vendor and product replaces the first. */
  async upsert(m: EntityManager, w: ProductMappingWrite): Promise<{ mapping: ProductMappingRecord; previousModelId: string | null }> {
    const [before]: Array<{ model_id: string }> = await m.query(`SELECT model_id FROM product_mappings WHERE vendor_key = $1 AND product_key = $2 FOR UPDATE`, [
      w.vendorKey,
      w.productKey,
    ]);
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO product_mappings (vendor, product_name, vendor_key, product_key, model_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT product_mappings_product
         DO UPDATE SET vendor = EXCLUDED.vendor, product_name = EXCLUDED.product_name, model_id = EXCLUDED.model_id, updated_at = now()
       RETURNING id`,
      [w.vendor, w.productName, w.vendorKey, w.productKey, w.modelId],
    );
    const [row]: ProductMappingRow[] = await m.query(`${SELECT} WHERE p.id = $1`, [rows[0].id]);
    return { mapping: toRecord(row), previousModelId: before?.model_id ?? null };
  }

  async list(q: { limit: number; offset: number }): Promise<{ items: ProductMappingRecord[]; total: number }> {
    const rows: ProductMappingRow[] = await this.dataSource.query(`${SELECT} ORDER BY p.created_at DESC, p.id LIMIT $1 OFFSET $2`, [q.limit, q.offset]);
    const [count]: Array<{ total: number }> = await this.dataSource.query(`SELECT count(*)::int AS total FROM product_mappings`);
    return { items: rows.map(toRecord), total: count.total };
  }

  /** Every mapping, as the CSAF mapper reads them. */
  async forMapper(m: EntityManager = this.dataSource.manager): Promise<CatalogProductMapping[]> {
    const rows: ProductMappingRow[] = await m.query(SELECT);
    return rows.map((r) => ({ vendorKey: r.vendor_key, productKey: r.product_key, modelId: r.model_id, manufacturerId: r.manufacturer_id }));
  }
}
