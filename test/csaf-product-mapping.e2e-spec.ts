import { randomUUID } from 'node:crypto';
import { openFindings } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

interface Unmapped {
  id: string;
  advisoryId: string;
  vendor: string;
  productName: string;
  versionExpression: string | null;
  reason: string;
  detail: string;
}

describe('Real advisories that map: a model and its version series in one string, and products a person maps', () => {
  let t: TestApp;
  let itKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
  });
  afterAll(async () => {
    await t?.close();
  });

  const importDoc = (doc: object, key = itKey) => t.api(key).post('/api/v1/advisories/csaf').send(doc);
  const putMapping = (body: object, key = itKey) => t.api(key).put('/api/v1/product-mappings').send(body);
  const unmappedPage = async (query: string, key?: string): Promise<{ items: Unmapped[]; total: number; nextCursor: string | null }> =>
    (await t.api(key).get(`/api/v1/advisories/unmapped-products${query}`).expect(200)).body;
  /** A copy of a fixture under another tracking id: another advisory naming the same products. */
  const asAnotherAdvisory = (name: string, trackingId: string) => {
    const doc = csafFixture(name);
    doc.document.tracking.id = trackingId;
    return doc;
  };

  describe('ICSMA-22-251-01 (Baxter): "8.x model 35700BAX2"', () => {
    it('flags a Sigma Spectrum 35700BAX2 on firmware 8.01.00 once IT imports the advisory, and leaves other series alone', async () => {
      const baxter = await createManufacturer(t, { name: 'Baxter' });
      const model = await createModel(t, baxter.id, { name: 'Sigma Spectrum', modelNumber: '35700BAX2' });
      await createModel(t, baxter.id, { name: 'Sigma Spectrum LVP', modelNumber: '35700LVP' });
      const onEight = await createDevice(t, model.id, { firmwareVersion: '8.01.00' });
      const onNine = await createDevice(t, model.id, { firmwareVersion: '9.00.01' });

      const res = await importDoc(csafFixture('icsma-22-251-01')).expect(201);
      expect(res.body.affected).toEqual(expect.arrayContaining([expect.objectContaining({ modelId: model.id, versions: '8.x', productRef: 'CSAFPID-0003' })]));
      expect(await openFindings(t, onEight.id)).toEqual([expect.objectContaining({ advisoryId: res.body.advisoryId })]);
      expect(await openFindings(t, onNine.id)).toEqual([]);
      const report = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?manufacturerId=${baxter.id}`).expect(200);
      expect(report.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([onEight.id]);
    });

    it('says once, not three times, which version it could not read (a pump series qualified by its battery modules)', async () => {
      const listed = await unmappedPage('?vendor=baxter&reason=version_unreadable');
      const lvp = listed.items.filter((u) => u.productName === 'Sigma Spectrum LVP');
      expect(lvp).toHaveLength(2);
      for (const u of lvp) {
        expect(u.detail.split(u.versionExpression!).length - 1).toBe(1);
        expect(u.detail).not.toMatch(/cannot read.*cannot read/);
      }
    });
  });

  describe('PUT /product-mappings', () => {
    let sooil: { id: string; name: string };
    let advisoryId: string;

    beforeAll(async () => {
      sooil = await createManufacturer(t, { name: 'SOOIL Developments Co, Ltd.' });
      await createModel(t, sooil.id, { name: 'Dana Diabecare RS' });
      advisoryId = (await importDoc(csafFixture('icsma-21-012-01')).expect(201)).body.advisoryId;
    });

    it('maps an unmapped product to a model for IT: findings follow at once, it leaves the list, and the write is audited', async () => {
      const before = await unmappedPage(`?advisoryId=${advisoryId}`);
      expect(before.items.map((u) => [u.productName, u.reason])).toEqual(expect.arrayContaining([['AnyDana-i', 'product_unknown']]));
      const model = await createModel(t, sooil.id, { name: 'AnyDana insulin app', modelNumber: 'ADI-1' });
      const device = await createDevice(t, model.id, { firmwareVersion: '2.0' });
      expect(await openFindings(t, device.id)).toEqual([]);

      // Spelled as a person would type it: case, spacing and punctuation do not matter.
      const res = await putMapping({ vendor: 'sooil developments co ltd', productName: 'anydana i', modelId: model.id }).expect(200);
      expect(res.body).toMatchObject({ vendor: 'sooil developments co ltd', productName: 'anydana i', modelId: model.id, manufacturerId: sooil.id });

      expect(await openFindings(t, device.id)).toEqual([expect.objectContaining({ advisoryId, fixedVersion: '3.0' })]);
      const after = await unmappedPage(`?advisoryId=${advisoryId}`);
      expect(after.items.filter((u) => u.productName === 'AnyDana-i')).toEqual([]);
      expect(after.total).toBe(before.total - 1);

      const audit = await t.api().get(`/api/v1/audit?entityType=product_mapping&entityId=${res.body.id}`).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action: 'create',
          actorKind: 'api-key',
          changes: expect.objectContaining({ modelId: model.id, productName: 'anydana i', previousModelId: null }),
        }),
      ]);
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
      const listed = await t.api(itKey).get('/api/v1/product-mappings').expect(200);
      expect(listed.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: res.body.id })] });
    });

    it('applies the mapping to a later revision and to another advisory naming the same product', async () => {
      const model = (await t.api(itKey).get('/api/v1/product-mappings').expect(200)).body.items[0].modelId;
      const revised = csafFixture('icsma-21-012-01');
      revised.document.tracking.version = '2';
      revised.document.tracking.current_release_date = '2021-02-01T00:00:00.000Z';
      revised.document.tracking.revision_history.push({ date: '2021-02-01T00:00:00.000Z', number: '2', summary: 'Update A' });
      const updated = await importDoc(revised).expect(200);
      expect(updated.body.status).toBe('updated');
      expect(updated.body.affected).toEqual(expect.arrayContaining([expect.objectContaining({ modelId: model, versions: '< 3.0' })]));
      expect(updated.body.unmappedProducts.map((u: Unmapped) => u.productName)).not.toContain('AnyDana-i');

      const other = await importDoc(asAnotherAdvisory('icsma-21-012-01', 'TEST-ANYDANA-OTHER-01')).expect(201);
      expect(other.body.affected).toEqual(expect.arrayContaining([expect.objectContaining({ modelId: model })]));
      expect(other.body.unmappedProducts.map((u: Unmapped) => u.productName)).not.toContain('AnyDana-i');
    });

    it("moves the product to another model on a second PUT: the old model's findings resolve, the new one's open", async () => {
      const first = (await t.api(itKey).get('/api/v1/product-mappings').expect(200)).body.items[0];
      const oldDevice = await createDevice(t, first.modelId, { firmwareVersion: '1.0' });
      // A new device's findings are computed after its commit: wait for them.
      await eventually(async () => expect((await openFindings(t, oldDevice.id)).length).toBe(2), 5000);
      const replacement = await createModel(t, sooil.id, { name: 'AnyDana-i phone app', modelNumber: 'ADI-2' });
      const newDevice = await createDevice(t, replacement.id, { firmwareVersion: '1.0' });

      const res = await putMapping({ vendor: 'SOOIL Developments Co, Ltd.', productName: 'AnyDana-i', modelId: replacement.id }).expect(200);
      expect(res.body).toMatchObject({ id: first.id, modelId: replacement.id });
      expect(await openFindings(t, oldDevice.id)).toEqual([]);
      // The first import (now at revision 2) and the other advisory naming AnyDana-i.
      expect((await openFindings(t, newDevice.id)).length).toBe(2);
      const audit = await t.api().get(`/api/v1/audit?entityType=product_mapping&entityId=${first.id}&action=update`).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ changes: expect.objectContaining({ modelId: replacement.id, previousModelId: first.modelId }) }),
      ]);
    });

    it('lets biomed map too (it maintains the catalog and may add the same alias)', async () => {
      const biomed = await createKey(t, 'biomed');
      const model = await createModel(t, sooil.id, { name: 'Diabecare pump, wireless', modelNumber: 'DRS-W' });
      await putMapping({ vendor: 'SOOIL Developments Co, Ltd.', productName: 'Dana Diabecare RS wireless', modelId: model.id }, biomed).expect(200);
    });
  });

  describe('GET /advisories/unmapped-products: filters, paging and counts', () => {
    let geAdvisoryId: string;

    beforeAll(async () => {
      await createManufacturer(t, { name: 'GE Healthcare' });
      geAdvisoryId = (await importDoc(csafFixture('icsma-20-343-01')).expect(201)).body.advisoryId;
    });

    it('pages by cursor through every entry exactly once, with the total on each page', async () => {
      const seen: string[] = [];
      let cursor = '';
      const totals = new Set<number>();
      for (let pages = 0; pages < 10; pages++) {
        const page = await unmappedPage(`?advisoryId=${geAdvisoryId}&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((u) => u.id));
        totals.add(page.total);
        if (!page.nextCursor) break;
        expect(page.items).toHaveLength(40);
        cursor = page.nextCursor;
      }
      expect(totals).toEqual(new Set([106]));
      expect(seen).toHaveLength(106);
      expect(new Set(seen).size).toBe(106);
    });

    it('filters by vendor (any case, part of the name), advisory and reason, and counts what matches', async () => {
      const ge = await unmappedPage('?vendor=ge%20HEALTH&limit=5');
      expect(ge.total).toBe(106);
      expect(ge.items).toHaveLength(5);
      expect(ge.items.every((u) => u.vendor === 'GE Healthcare')).toBe(true);
      expect((await unmappedPage(`?advisoryId=${geAdvisoryId}&reason=product_unknown`)).total).toBe(106);
      expect(await unmappedPage(`?advisoryId=${geAdvisoryId}&reason=version_unreadable`)).toEqual({ items: [], total: 0, nextCursor: null });
      expect((await unmappedPage('?vendor=100%25')).total).toBe(0);
    });

    it.each([
      ['reason=nope', 'reason'],
      ['advisoryId=not-a-uuid', 'advisoryId'],
      ['cursor=abc', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
    ])('answers ?%s with a 400 naming %s', async (query, field) => {
      const res = await t.api().get(`/api/v1/advisories/unmapped-products?${query}`).expect(400);
      expect(res.body.message).toContain(field);
    });

    it("leaves the list when a person writes the advisory's affected list by hand", async () => {
      const ge = (await t.api().get('/api/v1/manufacturers').expect(200)).body.find((m: { name: string }) => m.name === 'GE Healthcare');
      const model = await createModel(t, ge.id, { name: 'LOGIQ 7 (hospital record)' });
      await t
        .api()
        .patch(`/api/v1/advisories/${geAdvisoryId}`)
        .send({ affected: [{ modelId: model.id, versions: 'BT03 | BT04 | BT06' }] })
        .expect(200);
      expect((await unmappedPage(`?advisoryId=${geAdvisoryId}`)).total).toBe(0);
    });
  });

  describe('hostile callers', () => {
    let acme: { id: string; name: string };
    let acmeModel: string;
    let acmeKey: string;
    let strangerAdvisoryId: string;

    beforeAll(async () => {
      acme = await createManufacturer(t, { name: `Acme ${randomUUID().slice(0, 8)}` });
      acmeModel = (await createModel(t, acme.id)).id;
      acmeKey = await createKey(t, 'manufacturer', acme.id);
      const stranger = csafFixture('icsma-21-012-01');
      stranger.document.tracking.id = 'TEST-NOBODY-01';
      for (const v of stranger.product_tree.branches) v.name = 'Nobody Medical Ltd';
      strangerAdvisoryId = (await importDoc(stranger).expect(201)).body.advisoryId;
    });

    it('refuses a manufacturer: it cannot map, not even its own products, nor list the mappings', async () => {
      const res = await putMapping({ vendor: acme.name, productName: 'Anything', modelId: acmeModel }, acmeKey).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403 });
      await t.api(acmeKey).get('/api/v1/product-mappings').expect(403);
    });

    it("shows a manufacturer none of the hospital's or other vendors' unmapped products, in the items or the total", async () => {
      const everyone = await unmappedPage('');
      expect(everyone.total).toBeGreaterThan(0);
      expect(everyone.items.some((u) => u.advisoryId === strangerAdvisoryId && u.reason === 'vendor_unknown')).toBe(true);
      const mine = await unmappedPage('', acmeKey);
      expect(mine).toEqual({ items: [], total: 0, nextCursor: null });
      expect(await unmappedPage('?reason=vendor_unknown', acmeKey)).toEqual({ items: [], total: 0, nextCursor: null });
      expect(await unmappedPage(`?advisoryId=${strangerAdvisoryId}`, acmeKey)).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it.each([
      ['a modelId that is no UUID', { modelId: 'not-a-uuid' }, /^modelId/],
      ['no modelId', { modelId: undefined }, /modelId/],
      ['an empty vendor', { vendor: '' }, /^vendor/],
      ['a product name of punctuation only', { productName: ' !!! ' }, /^productName/],
      ['a product name of 501 characters', { productName: 'x'.repeat(501) }, /^productName/],
    ])('answers %s with a 400 naming the field', async (_label, patch, message) => {
      const res = await putMapping({ vendor: 'Nobody Medical Ltd', productName: 'AnyDana-A', modelId: acmeModel, ...patch }).expect(400);
      expect(res.body.message).toMatch(message);
    });

    it('answers a model that does not exist with a 400 naming modelId, and writes nothing', async () => {
      const res = await putMapping({ vendor: 'Nobody Medical Ltd', productName: 'AnyDana-A', modelId: randomUUID() }).expect(400);
      expect(res.body.message).toMatch(/^modelId: /);
      expect((await unmappedPage(`?advisoryId=${strangerAdvisoryId}`)).total).toBe(3);
    });

    it("refuses to map a known vendor's product to another manufacturer's model", async () => {
      const res = await putMapping({ vendor: 'SOOIL Developments Co., Ltd', productName: 'AnyDana-A', modelId: acmeModel }).expect(400);
      expect(res.body.message).toMatch(/^modelId: .*SOOIL/);
    });

    it("maps an unknown vendor's product: the advisory becomes that model's manufacturer's, and its findings follow", async () => {
      const device = await createDevice(t, acmeModel, { firmwareVersion: '2.0' });
      await putMapping({ vendor: 'Nobody Medical Ltd', productName: 'AnyDana-A', modelId: acmeModel }).expect(200);
      expect(await openFindings(t, device.id)).toEqual([expect.objectContaining({ advisoryId: strangerAdvisoryId })]);
      const details = await t.api().get(`/api/v1/advisories/${strangerAdvisoryId}`).expect(200);
      expect(details.body.manufacturerId).toBe(acme.id);
    });
  });
});
