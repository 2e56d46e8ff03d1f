import { randomUUID } from 'node:crypto';
import { openFindings } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

describe('CSAF 2.0 import: every CISA fixture, end to end', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const importDoc = (doc: object, key?: string) => t.api(key).post('/api/v1/advisories/csaf').send(doc);
  const models = async (manufacturerId: string, names: string[]) => {
    const out: Record<string, string> = {};
    for (const name of names) out[name] = (await createModel(t, manufacturerId, { name, modelNumber: `MN-${randomUUID().slice(0, 8)}` })).id;
    return out;
  };

  it('ICSMA-21-012-01 (SOOIL): maps by name, flags devices below 3.0 with fix 3.0, a heartbeat with 3.0 resolves it', async () => {
    const sooil = await createManufacturer(t, { name: 'SOOIL Developments Co, Ltd.' });
    const m = await models(sooil.id, ['Dana Diabecare RS', 'AnyDana-A']);
    const old = await createDevice(t, m['Dana Diabecare RS'], { firmwareVersion: '2.9' });
    const current = await createDevice(t, m['Dana Diabecare RS'], { firmwareVersion: '3.0' });
    const unknown = await createDevice(t, m['AnyDana-A']);

    const res = await importDoc(csafFixture('icsma-21-012-01')).expect(201);
    expect(res.body).toMatchObject({
      status: 'created',
      trackingId: 'ICSMA-21-012-01',
      revision: '1',
      findings: { opened: 1, resolved: 0, exposureUnknown: 1 },
    });
    expect(res.body.affected.map((a: { modelId: string; versions: string; fixedVersion: string }) => [a.modelId, a.versions, a.fixedVersion]).sort()).toEqual(
      [
        [m['AnyDana-A'], '< 3.0', '3.0'],
        [m['Dana Diabecare RS'], '< 3.0', '3.0'],
      ].sort(),
    );
    expect(res.body.unmappedProducts).toEqual([expect.objectContaining({ productName: 'AnyDana-i', reason: 'product_unknown' })]);
    expect(await openFindings(t, old.id)).toEqual([expect.objectContaining({ advisoryId: res.body.advisoryId, fixedVersion: '3.0' })]);
    expect(await openFindings(t, current.id)).toEqual([]);

    const report = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${sooil.id}`).expect(200);
    expect(report.body.items).toEqual([
      expect.objectContaining({ deviceId: old.id, minimumSafeVersion: '3.0', action: 'update', highestCvss: expect.any(Number) }),
    ]);
    const unknowns = await t.api().get(`/api/v1/reports/exposure-unknown?manufacturerId=${sooil.id}`).expect(200);
    expect(unknowns.body).toEqual([expect.objectContaining({ deviceId: unknown.id, reason: 'no_firmware' })]);

    const mqtt = await connectDevice(t.mqttUrl);
    await publishHeartbeat(mqtt, old.id, { firmwareVersion: '3.0' });
    await mqtt.endAsync();
    await eventually(async () => expect(await openFindings(t, old.id)).toEqual([]), 3000);
    const after = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${sooil.id}`).expect(200);
    expect(after.body.items).toEqual([]);
  });

  it('keeps an unmapped product listed until an alias maps it, then its findings appear', async () => {
    const sooilModels = await t.api().get('/api/v1/models?q=AnyDana-A').expect(200);
    const sooilId = sooilModels.body[0].manufacturerId;
    const listed = await t.api().get('/api/v1/advisories/unmapped-products').expect(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ productName: 'AnyDana-i', reason: 'product_unknown', trackingId: 'ICSMA-21-012-01' })]),
    );

    const model = await createModel(t, sooilId, { name: 'AnyDana insulin app', modelNumber: 'ADI-1' });
    const device = await createDevice(t, model.id, { firmwareVersion: '2.0' });
    await t
      .api()
      .patch(`/api/v1/models/${model.id}`)
      .send({ aliases: ['AnyDana-i'] })
      .expect(200);
    await eventually(async () => expect((await openFindings(t, device.id)).length).toBe(1), 5000);
    const remaining = await t.api().get('/api/v1/advisories/unmapped-products').expect(200);
    expect(remaining.body.items.filter((u: { productName: string }) => u.productName === 'AnyDana-i')).toEqual([]);
  });

  it('re-importing the same revision is a no-op; a newer revision updates; an older one is ignored', async () => {
    const doc = csafFixture('icsma-21-012-01');
    const same = await importDoc(doc).expect(200);
    expect(same.body.status).toBe('unchanged');
    const newer = structuredClone(doc);
    newer.document.tracking.version = '2';
    newer.document.tracking.current_release_date = '2021-02-01T00:00:00.000Z';
    newer.document.tracking.revision_history.push({ date: '2021-02-01T00:00:00.000Z', number: '2', summary: 'Update A' });
    newer.document.title = `${doc.document.title} (Update A)`;
    const updated = await importDoc(newer).expect(200);
    expect(updated.body).toMatchObject({ status: 'updated', advisoryId: same.body.advisoryId, revision: '2' });
    const details = await t.api().get(`/api/v1/advisories/${same.body.advisoryId}`).expect(200);
    expect(details.body).toMatchObject({ title: newer.document.title, sourceRevision: '2' });
    const older = await importDoc(doc).expect(200);
    expect(older.body.status).toBe('ignored_older');
  });

  it('ICSMA-21-007-01 (Innokas): reads the mojibake vendor name and extracts the fix 1.7.15b', async () => {
    const innokas = await createManufacturer(t, { name: 'Innokas Yhtymä Oy' });
    const m = await models(innokas.id, ['VC150']);
    const d = await createDevice(t, m.VC150, { firmwareVersion: '1.7.14' });
    const res = await importDoc(csafFixture('icsma-21-007-01')).expect(201);
    expect(res.body.affected).toEqual([expect.objectContaining({ modelId: m.VC150, versions: '< 1.7.15', fixedVersion: '1.7.15b' })]);
    expect(await openFindings(t, d.id)).toEqual([expect.objectContaining({ fixedVersion: '1.7.15b' })]);
  });

  it('ICSMA-20-343-01 (GE): "all versions" with no fix says so; pipe-listed versions match exactly', async () => {
    const ge = await createManufacturer(t, { name: 'GE Healthcare' });
    const m = await models(ge.id, ['Innova 2000', 'LOGIQ 7', 'Vivid 7']);
    const innova = await createDevice(t, m['Innova 2000'], { firmwareVersion: '5.1' });
    const logiqIn = await createDevice(t, m['LOGIQ 7'], { firmwareVersion: 'BT04' });
    const logiqOut = await createDevice(t, m['LOGIQ 7'], { firmwareVersion: 'BT05' });
    const vivid = await createDevice(t, m['Vivid 7'], { firmwareVersion: 'BT05' });
    const res = await importDoc(csafFixture('icsma-20-343-01')).expect(201);
    expect(res.body.affected).toHaveLength(3);
    expect(res.body.unmappedProducts.length).toBe(106 - 3);
    expect(await openFindings(t, logiqIn.id)).toHaveLength(1);
    expect(await openFindings(t, logiqOut.id)).toHaveLength(0);
    expect(await openFindings(t, vivid.id)).toHaveLength(1);
    const report = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${ge.id}&limit=10`).expect(200);
    expect(report.body.items.find((i: { deviceId: string }) => i.deviceId === innova.id)).toMatchObject({
      action: 'no_fix',
      actionText: 'no fix: mitigate or replace',
      minimumSafeVersion: null,
    });
  });

  it('ICSMA-18-123-01 (Philips CT): "2.3.5 and below" ranges flag the boundary version', async () => {
    const philips = await createManufacturer(t, { name: 'Philips' });
    const m = await models(philips.id, ['Brilliance 64', 'Patient Information Center iX (PICiX)']);
    const atBound = await createDevice(t, m['Brilliance 64'], { firmwareVersion: '2.6.2' });
    const above = await createDevice(t, m['Brilliance 64'], { firmwareVersion: '2.6.3' });
    await importDoc(csafFixture('icsma-18-123-01')).expect(201);
    expect(await openFindings(t, atBound.id)).toHaveLength(1);
    expect(await openFindings(t, above.id)).toHaveLength(0);
  });

  it('ICSMA-20-254-01 (Philips monitoring): exact product versions match only that version', async () => {
    const [philips] = (await t.api().get('/api/v1/manufacturers').expect(200)).body.filter((x: { name: string }) => x.name === 'Philips');
    const picix = (await t.api().get(`/api/v1/models?manufacturerId=${philips.id}&q=PICiX`).expect(200)).body[0].id;
    const b02 = await createDevice(t, picix, { firmwareVersion: 'B.02' });
    const c04 = await createDevice(t, picix, { firmwareVersion: 'C.04' });
    const res = await importDoc(csafFixture('icsma-20-254-01')).expect(201);
    expect(
      res.body.affected
        .filter((a: { modelId: string }) => a.modelId === picix)
        .map((a: { versions: string }) => a.versions)
        .sort(),
    ).toEqual(['B.02', 'C.02', 'C.03']);
    expect(await openFindings(t, b02.id)).toHaveLength(1);
    expect(await openFindings(t, c04.id)).toHaveLength(0);
  });

  it('ICSMA-18-142-01 and ICSMA-23-194-01 (BD): maps the vendor through an alias; fix 12.5.1 for Systems Manager', async () => {
    const bd = await createManufacturer(t, { name: 'BD', aliases: ['Becton, Dickinson and Company (BD)'] });
    const m = await models(bd.id, ['PerformA', 'BD Alaris Systems Manager']);
    const performa = await createDevice(t, m.PerformA, { firmwareVersion: '3.0.0.0' });
    const manager = await createDevice(t, m['BD Alaris Systems Manager'], { firmwareVersion: '12.3' });
    await importDoc(csafFixture('icsma-18-142-01')).expect(201);
    const alaris = await importDoc(csafFixture('icsma-23-194-01')).expect(201);
    expect(await openFindings(t, performa.id)).toHaveLength(1);
    expect(await openFindings(t, manager.id)).toEqual([expect.objectContaining({ advisoryId: alaris.body.advisoryId, fixedVersion: '12.5.1' })]);
  });

  it('ICSMA-22-251-01 (Baxter): reads "8.x model 35700BAX2" as the model and its series; keeps component-qualified versions for review', async () => {
    const baxter = await createManufacturer(t, { name: 'Baxter' });
    const m = await models(baxter.id, ['Sigma Spectrum', 'Sigma Spectrum LVP']);
    const d = await createDevice(t, m['Sigma Spectrum'], { firmwareVersion: '8.00.01' });
    const res = await importDoc(csafFixture('icsma-22-251-01')).expect(201);
    expect(
      res.body.affected
        .filter((a: { modelId: string }) => a.modelId === m['Sigma Spectrum'])
        .map((a: { versions: string }) => a.versions)
        .sort(),
    ).toEqual(['6.x', '8.x']);
    const lvp = res.body.unmappedProducts.filter((u: { productName: string }) => u.productName === 'Sigma Spectrum LVP');
    expect(lvp.map((u: { reason: string }) => u.reason)).toEqual(['version_unreadable', 'version_unreadable']);
    expect(lvp[0].detail).toMatch(/^version: /);
    expect(await openFindings(t, d.id)).toEqual([expect.objectContaining({ advisoryId: res.body.advisoryId })]);
  });

  it('stores a document whose vendor is unknown and maps it once the manufacturer is added', async () => {
    const doc = csafFixture('icsma-21-012-01');
    doc.document.tracking.id = 'TEST-VENDOR-LATER-01';
    for (const v of doc.product_tree.branches) v.name = 'Later Medical Ltd';
    const res = await importDoc(doc).expect(201);
    expect(res.body.unmappedProducts.map((u: { reason: string }) => u.reason)).toEqual(['vendor_unknown', 'vendor_unknown', 'vendor_unknown']);
    const later = await createManufacturer(t, { name: 'Later Medical' });
    const model = await createModel(t, later.id, { name: 'AnyDana-A' });
    const d = await createDevice(t, model.id, { firmwareVersion: '1.0' });
    await t
      .api()
      .patch(`/api/v1/manufacturers/${later.id}`)
      .send({ aliases: ['Later Medical Ltd'] })
      .expect(200);
    await eventually(async () => expect(await openFindings(t, d.id)).toHaveLength(1), 5000);
    const details = await t.api().get(`/api/v1/advisories/${res.body.advisoryId}`).expect(200);
    expect(details.body.manufacturerId).toBe(later.id);
  });

  describe('bad documents', () => {
    it('answers 400 with the JSON path of a schema error', async () => {
      const doc = csafFixture('icsma-21-012-01');
      delete doc.document.tracking;
      const res = await importDoc(doc).expect(400);
      expect(res.body.message).toMatch(/^document: not a valid CSAF 2.0 document: \/document/);
      expect(res.body.details.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('/document') })]));
    });

    it('answers 400 for a body that is not a CSAF document at all', async () => {
      const res = await importDoc({ hello: 'world' }).expect(400);
      expect(res.body.message).toContain('not a valid CSAF 2.0 document');
      await importDoc([1, 2, 3]).expect(400);
    });

    it('answers 400 when a product id is referenced but never defined (a mandatory test)', async () => {
      const doc = csafFixture('icsma-21-012-01');
      doc.vulnerabilities[0].product_status.known_affected.push('CSAFPID-9999');
      const res = await importDoc(doc).expect(400);
      expect(res.body.message).toContain('/vulnerabilities/0/product_status/known_affected');
    });
  });

  describe('roles', () => {
    it('lets a manufacturer import only documents about itself, and it import any', async () => {
      const other = await createManufacturer(t);
      const vendor = await createKey(t, 'manufacturer', other.id);
      await importDoc(csafFixture('icsma-18-123-01'), vendor).expect(403);
      const itKey = await createKey(t, 'it');
      const doc = csafFixture('icsma-18-123-01');
      const res = await importDoc(doc, itKey).expect(200);
      expect(res.body.status).toBe('unchanged');
      const biomed = await createKey(t, 'biomed');
      await importDoc(doc, biomed).expect(403);
    });
  });
});
