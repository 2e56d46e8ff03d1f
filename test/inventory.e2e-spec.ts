import { computeGtinCheckDigit } from '../src/inventory/udi';
import { createDevice, createKey, createManufacturer, createModel, seedModel } from './factories/inventory.factory';
import { startTestApp, TestApp } from './support/test-app';

describe('inventory: manufacturers, models, devices', () => {
  let t: TestApp;
  let biomed: string;
  let it_: string;

  beforeAll(async () => {
    t = await startTestApp();
    biomed = await createKey(t, 'biomed');
    it_ = await createKey(t, 'it');
  });
  afterAll(async () => {
    await t?.close();
  });

  let gtinSeq = 100;
  /** A fresh valid GTIN-14 per call: GTINs are unique across models. */
  const freshGtin = () => {
    const body = `0084458800${String(gtinSeq++).padStart(3, '0')}`;
    return body + computeGtinCheckDigit(body);
  };

  describe('manufacturers', () => {
    it('creates a manufacturer with aliases and lists it', async () => {
      const res = await t
        .api(biomed)
        .post('/api/v1/manufacturers')
        .send({ name: 'Baxter', aliases: ['Baxter Healthcare Corporation'] })
        .expect(201);
      expect(res.body).toMatchObject({ id: expect.any(String), name: 'Baxter', aliases: ['Baxter Healthcare Corporation'] });
      const list = await t.api(it_).get('/api/v1/manufacturers').expect(200);
      expect(list.body.map((m: { name: string }) => m.name)).toContain('Baxter');
    });

    it('answers 409 for a name that differs only in case', async () => {
      await t.api().post('/api/v1/manufacturers').send({ name: 'Medtronic' }).expect(201);
      const dup = await t.api().post('/api/v1/manufacturers').send({ name: 'MEDTRONIC' }).expect(409);
      expect(dup.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('name:') });
    });

    it('refuses manufacturer creation to it and manufacturer roles', async () => {
      await t.api(it_).post('/api/v1/manufacturers').send({ name: 'Nope' }).expect(403);
      const m = await createManufacturer(t);
      const vendor = await createKey(t, 'manufacturer', m.id);
      await t.api(vendor).post('/api/v1/manufacturers').send({ name: 'Nope 2' }).expect(403);
    });

    it('shows a manufacturer key only its own manufacturer', async () => {
      const mine = await createManufacturer(t);
      const other = await createManufacturer(t);
      const vendor = await createKey(t, 'manufacturer', mine.id);
      const list = await t.api(vendor).get('/api/v1/manufacturers').expect(200);
      expect(list.body.map((m: { id: string }) => m.id)).toEqual([mine.id]);
      await t.api(vendor).get(`/api/v1/manufacturers/${other.id}`).expect(404);
    });

    it('rejects a wrongly typed alias list naming the field', async () => {
      const res = await t.api().post('/api/v1/manufacturers').send({ name: 'Typed', aliases: 'Baxter' }).expect(400);
      expect(res.body.message).toContain('aliases:');
    });
  });

  describe('models', () => {
    it('creates a model with a GTIN and filters by category', async () => {
      const m = await createManufacturer(t);
      const gtin = freshGtin();
      const model = await createModel(t, m.id, { category: 'wearable', gtin, name: 'Insulin Pump X' });
      const list = await t.api(it_).get(`/api/v1/models?manufacturerId=${m.id}&category=wearable`).expect(200);
      expect(list.body).toEqual([expect.objectContaining({ id: model.id, gtin, category: 'wearable' })]);
      const none = await t.api(it_).get(`/api/v1/models?manufacturerId=${m.id}&category=facility`).expect(200);
      expect(none.body).toEqual([]);
    });

    it('answers 409 for a duplicate model number of the same manufacturer', async () => {
      const m = await createManufacturer(t);
      await createModel(t, m.id, { modelNumber: 'X-1' });
      const dup = await t.api().post('/api/v1/models').send({ manufacturerId: m.id, modelNumber: 'x-1', name: 'Again', category: 'other' }).expect(409);
      expect(dup.body.message).toContain('modelNumber:');
    });

    it('rejects an unknown category, a bad GTIN check digit and an unknown manufacturer', async () => {
      const m = await createManufacturer(t);
      const cat = await t.api().post('/api/v1/models').send({ manufacturerId: m.id, modelNumber: 'c', name: 'c', category: 'toaster' }).expect(400);
      expect(cat.body.message).toContain('category:');
      const gtin = await t
        .api()
        .post('/api/v1/models')
        .send({ manufacturerId: m.id, modelNumber: 'g', name: 'g', category: 'other', gtin: '00844588003289' })
        .expect(400);
      expect(gtin.body.message).toContain('gtin: check digit');
      const unknown = await t
        .api()
        .post('/api/v1/models')
        .send({ manufacturerId: '00000000-0000-4000-8000-000000000000', modelNumber: 'u', name: 'u', category: 'other' })
        .expect(400);
      expect(unknown.body.message).toContain('manufacturerId: no manufacturer');
    });

    it('lets a manufacturer key write its own models only', async () => {
      const mine = await createManufacturer(t);
      const other = await createManufacturer(t);
      const vendor = await createKey(t, 'manufacturer', mine.id);
      await t.api(vendor).post('/api/v1/models').send({ manufacturerId: mine.id, modelNumber: 'V1', name: 'Vendor model', category: 'facility' }).expect(201);
      await t.api(vendor).post('/api/v1/models').send({ manufacturerId: other.id, modelNumber: 'V2', name: 'Not mine', category: 'facility' }).expect(403);
      const otherModel = await createModel(t, other.id);
      await t.api(vendor).patch(`/api/v1/models/${otherModel.id}`).send({ name: 'hijack' }).expect(404);
    });
  });

  describe('devices', () => {
    it('registers a device and returns the contract fields', async () => {
      const { modelId } = await seedModel(t);
      const res = await t
        .api(biomed)
        .post('/api/v1/devices')
        .send({ modelId, serialNumber: 'SN-1', assetTag: 'BME-1', firmwareVersion: '2.4.1', location: 'ICU-3', department: 'ICU' })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        modelId,
        serialNumber: 'SN-1',
        firmwareVersion: '2.4.1',
        status: 'active',
        lastSeenAt: null,
        connectivity: 'never_seen',
      });
      const got = await t.api(it_).get(`/api/v1/devices/${res.body.id}`).expect(200);
      expect(got.body.assetTag).toBe('BME-1');
    });

    it('answers 409 for a duplicate serial of the same model, and for a duplicate asset tag', async () => {
      const { modelId } = await seedModel(t);
      await createDevice(t, modelId, { serialNumber: 'DUP', assetTag: 'TAG-DUP' });
      const serial = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'DUP' }).expect(409);
      expect(serial.body.message).toContain('serialNumber:');
      const tag = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'OTHER', assetTag: 'TAG-DUP' }).expect(409);
      expect(tag.body.message).toContain('assetTag:');
    });

    it('allows the same serial on a different model', async () => {
      const a = await seedModel(t);
      const b = await seedModel(t);
      await createDevice(t, a.modelId, { serialNumber: 'SHARED' });
      await createDevice(t, b.modelId, { serialNumber: 'SHARED' });
    });

    it('rejects missing, unknown and wrongly typed fields, naming each', async () => {
      const { modelId } = await seedModel(t);
      const missing = await t.api().post('/api/v1/devices').send({ modelId }).expect(400);
      expect(missing.body.message).toContain('serialNumber:');
      const unknown = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'x', colour: 'red' }).expect(400);
      expect(unknown.body.message).toContain('colour: is not an allowed field');
      const typed = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 42 }).expect(400);
      expect(typed.body.message).toContain('serialNumber: must be a string');
      const badModel = await t.api().post('/api/v1/devices').send({ modelId: 'abc', serialNumber: 'x' }).expect(400);
      expect(badModel.body.message).toContain('modelId: must be a UUID');
      const noModel = await t.api().post('/api/v1/devices').send({ modelId: '00000000-0000-4000-8000-000000000000', serialNumber: 'x' }).expect(400);
      expect(noModel.body.message).toContain('modelId: no device model');
      const fw = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'x', firmwareVersion: ' 1.0\n' }).expect(400);
      expect(fw.body.message).toContain('firmwareVersion:');
    });

    it('answers 404 for an unknown device id', async () => {
      const res = await t.api().get('/api/v1/devices/00000000-0000-4000-8000-000000000000').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Device 00000000-0000-4000-8000-000000000000 not found' });
    });

    it('registers with a GS1 UDI, extracting lot, expiry and device identifier', async () => {
      const { modelId } = await seedModel(t, { gtin: '00844588003288' });
      const again = await t
        .api()
        .post('/api/v1/models')
        .send({
          manufacturerId: (await t.api().get(`/api/v1/models/${modelId}`)).body.manufacturerId,
          modelNumber: 'other',
          name: 'x',
          category: 'other',
          gtin: '00844588003288',
        })
        .expect(409);
      expect(again.body.message).toContain('gtin:');
      const res = await t
        .api()
        .post('/api/v1/devices')
        .send({ modelId, serialNumber: '10987654d321', udi: '(01)00844588003288(17)141120(10)7654321D(21)10987654d321' })
        .expect(201);
      expect(res.body).toMatchObject({ udiDi: '00844588003288', lotNumber: '7654321D', expirationDate: '2014-11-20' });
    });

    it('rejects a UDI whose GTIN differs from the model, whose serial differs, or whose check digit is wrong', async () => {
      const modelGtin = freshGtin();
      const { modelId } = await seedModel(t, { gtin: modelGtin });
      const gtin = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'A1', udi: '(01)00614141999996(21)A1' }).expect(400);
      expect(gtin.body.message).toMatch(/udi: device identifier 00614141999996 does not match the model's GTIN/);
      const serial = await t
        .api()
        .post('/api/v1/devices')
        .send({ modelId, serialNumber: 'A2', udi: `(01)${modelGtin}(21)ZZZ` })
        .expect(400);
      expect(serial.body.message).toMatch(/udi: serial ZZZ .* does not match serialNumber A2/);
      const check = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'A3', udi: '(01)00844588003281(21)A3' }).expect(400);
      expect(check.body.message).toMatch(/^udi: .*check digit/i);
      const garbage = await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'A4', udi: 'hello world' }).expect(400);
      expect(garbage.body.message).toMatch(/^udi: /);
    });

    it('keeps firmware history for registration and edits, and audits each change', async () => {
      const { modelId } = await seedModel(t);
      const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
      await t.api(biomed).patch(`/api/v1/devices/${d.id}`).send({ firmwareVersion: '1.1.0', location: 'Ward 2' }).expect(200);
      const history = await t.api(it_).get(`/api/v1/devices/${d.id}/firmware-history`).expect(200);
      expect(history.body.map((h: { fromVersion: string | null; toVersion: string; source: string }) => [h.fromVersion, h.toVersion, h.source])).toEqual([
        [null, '1.0.0', 'registration'],
        ['1.0.0', '1.1.0', 'edit'],
      ]);
      const audit = await t.api(it_).get(`/api/v1/audit?entityType=device&entityId=${d.id}`).expect(200);
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['update', 'create']);
      expect(audit.body.items[0].changes).toEqual({ firmwareVersion: { from: '1.0.0', to: '1.1.0' }, location: { from: null, to: 'Ward 2' } });
    });

    it('decommissions on DELETE: gone from the active list, still readable, history kept', async () => {
      const { modelId } = await seedModel(t);
      const d = await createDevice(t, modelId, { firmwareVersion: '3.0' });
      const res = await t.api(biomed).delete(`/api/v1/devices/${d.id}`).expect(200);
      expect(res.body).toMatchObject({ status: 'decommissioned', decommissionedAt: expect.any(String) });
      const active = await t.api().get(`/api/v1/devices?modelId=${modelId}`).expect(200);
      expect(active.body.items).toEqual([]);
      const decommissioned = await t.api().get(`/api/v1/devices?modelId=${modelId}&status=decommissioned`).expect(200);
      expect(decommissioned.body.items.map((x: { id: string }) => x.id)).toEqual([d.id]);
      const history = await t.api().get(`/api/v1/devices/${d.id}/firmware-history`).expect(200);
      expect(history.body).toHaveLength(1);
      const audit = await t.api().get(`/api/v1/audit?entityId=${d.id}&action=decommission`).expect(200);
      expect(audit.body.items).toHaveLength(1);
    });

    it('lets it read devices but not write them, and keeps manufacturers out of the inventory', async () => {
      const { modelId, manufacturerId } = await seedModel(t);
      const d = await createDevice(t, modelId);
      await t.api(it_).post('/api/v1/devices').send({ modelId, serialNumber: 'it-write' }).expect(403);
      await t.api(it_).patch(`/api/v1/devices/${d.id}`).send({ location: 'x' }).expect(403);
      await t.api(it_).delete(`/api/v1/devices/${d.id}`).expect(403);
      const vendor = await createKey(t, 'manufacturer', manufacturerId);
      await t.api(vendor).get('/api/v1/devices').expect(403);
      await t.api(vendor).get(`/api/v1/devices/${d.id}`).expect(403);
      await t.api(vendor).get(`/api/v1/devices/${d.id}/firmware-history`).expect(403);
    });

    it('filters by department, location, firmware and a serial/asset prefix, and pages with a cursor', async () => {
      const { modelId, manufacturerId } = await seedModel(t, { category: 'implantable' });
      const made = [];
      for (let i = 0; i < 7; i++) {
        made.push(
          await createDevice(t, modelId, {
            serialNumber: `PAGE-${i}`,
            assetTag: `AT-PAGE-${i}`,
            department: i % 2 ? 'Cardiology' : 'ICU',
            location: `Room ${i % 3}`,
            firmwareVersion: i < 3 ? '1.0' : '2.0',
          }),
        );
      }
      const cardiology = await t.api().get(`/api/v1/devices?modelId=${modelId}&department=Cardiology`).expect(200);
      expect(cardiology.body.items).toHaveLength(3);
      const fw = await t.api().get(`/api/v1/devices?manufacturerId=${manufacturerId}&firmwareVersion=1.0`).expect(200);
      expect(fw.body.items).toHaveLength(3);
      const room = await t.api().get(`/api/v1/devices?modelId=${modelId}&location=Room%200`).expect(200);
      expect(room.body.items).toHaveLength(3);
      const prefix = await t.api().get(`/api/v1/devices?q=page-&category=implantable`).expect(200);
      expect(prefix.body.items).toHaveLength(7);
      const tag = await t.api().get(`/api/v1/devices?q=at-page-4`).expect(200);
      expect(tag.body.items.map((x: { serialNumber: string }) => x.serialNumber)).toEqual(['PAGE-4']);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/devices?modelId=${modelId}&sort=serialNumber&order=desc&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.api().get(url).expect(200);
        seen.push(...page.body.items.map((x: { serialNumber: string }) => x.serialNumber));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['PAGE-6', 'PAGE-5', 'PAGE-4', 'PAGE-3', 'PAGE-2', 'PAGE-1', 'PAGE-0']);

      const byCreated: string[] = [];
      cursor = null;
      do {
        const url: string = `/api/v1/devices?modelId=${modelId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.api().get(url).expect(200);
        byCreated.push(...page.body.items.map((x: { id: string }) => x.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(byCreated.sort()).toEqual(made.map((m) => m.id).sort());
    });

    it('rejects a damaged cursor and a limit out of range', async () => {
      const bad = await t.api().get('/api/v1/devices?cursor=garbage').expect(400);
      expect(bad.body.message).toContain('cursor:');
      const limit = await t.api().get('/api/v1/devices?limit=100000').expect(400);
      expect(limit.body.message).toContain('limit:');
    });
  });
});
