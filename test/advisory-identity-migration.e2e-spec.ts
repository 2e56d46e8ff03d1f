import { DataSource } from 'typeorm';
import { AdvisoryIdentityByPublisher1764300012000 } from '../migrations/1764300012000-AdvisoryIdentityByPublisher';
import { createAdvisory } from './factories/advisory.factory';
import { buildCsaf } from './factories/csaf.factory';
import { createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { replayMigrations } from './support/migration-replay';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Migration 1764300012000 over advisories the service stored: the old schema is restored by the
 * migration's own down(), and up() must derive each row's identity from what was stored.
 */
describe('Migrating advisories to an identity of publisher, tracking id and submitter', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function downThenUp(): Promise<void> {
    const migration = new AdvisoryIdentityByPublisher1764300012000();
    await replayMigrations(t.app.get(DataSource), { down: [migration], up: [migration] });
  }

  it('takes the namespace from the stored document and the submitter from the audit log', async () => {
    const vendor = await createManufacturer(t, { name: 'Vendor One' });
    const vendorModel = await createModel(t, vendor.id, { name: 'Infuser One' });
    const other = await createManufacturer(t, { name: 'Vendor Two' });
    const otherModel = await createModel(t, other.id, { name: 'Infuser Two' });
    const vendorKey = await createKey(t, 'manufacturer', vendor.id);
    const itKey = await createKey(t, 'it');
    const importCsaf = (doc: object, key: string, status = 201) => t.api(key).post('/api/v1/advisories/csaf').send(doc).expect(status);

    const vendorDoc = {
      trackingId: 'VENDOR-ONE-2024-01',
      version: 1,
      publisherNamespace: 'https://PSIRT.vendor-one.example//',
      products: [{ vendor: 'Vendor One', product: 'Infuser One', versions: '<2.0' }],
    };
    const byVendor = await importCsaf(buildCsaf(vendorDoc), vendorKey);
    const byIt = await importCsaf(
      buildCsaf({ trackingId: 'ICSMA-24-001-01', version: 1, products: [{ vendor: 'Vendor Two', product: 'Infuser Two', versions: '<2.0' }] }),
      itKey,
    );
    const nativeByVendor = await createAdvisory(t, { manufacturerId: vendor.id, affected: [{ modelId: vendorModel.id, versions: '<2.0' }] }, vendorKey);
    const nativeByAdmin = await createAdvisory(t, { manufacturerId: other.id, affected: [{ modelId: otherModel.id, versions: '<2.0' }] });

    await downThenUp();

    const rows: Array<{ id: string; publisher_namespace: string | null; submitted_by_manufacturer_id: string | null }> = await t.app
      .get(DataSource)
      .query(`SELECT id, publisher_namespace, submitted_by_manufacturer_id FROM advisories`);
    const identity = new Map(rows.map((r) => [r.id, [r.publisher_namespace, r.submitted_by_manufacturer_id]]));
    expect(identity).toEqual(
      new Map([
        [byVendor.body.advisoryId, ['https://psirt.vendor-one.example', vendor.id]],
        [byIt.body.advisoryId, ['https://www.cisa.gov', null]],
        [nativeByVendor.id, [null, vendor.id]],
        [nativeByAdmin.id, [null, null]],
      ]),
    );
    // The migrated identity is the one the service looks up: the same document again is unchanged.
    const again = await importCsaf(buildCsaf(vendorDoc), vendorKey, 200);
    expect(again.body).toMatchObject({ status: 'unchanged', advisoryId: byVendor.body.advisoryId });
    // And the vendor still writes only what it published.
    await t.api(vendorKey).post(`/api/v1/advisories/${nativeByVendor.id}/withdraw`).expect(200);
  });
});
