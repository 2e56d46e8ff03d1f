import { randomUUID } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../src/inventory/inventory.events';
import { computeGtinCheckDigit } from '../src/inventory/udi';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { startTestApp, TestApp } from './support/test-app';

const IMPORT = '/api/v1/devices/import';
/** Small enough to test 413 cheaply, large enough for 10,000 CSV rows and a Bundle over the 1 MiB JSON limit. */
const IMPORT_LIMIT = 4 * 1024 * 1024;
const HEADER = 'manufacturer,modelNumber,serialNumber,assetTag,udi,firmwareVersion,location,department';

describe('device import: POST /devices/import', () => {
  let t: TestApp;
  let biomed: string;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ env: { HTTP_IMPORT_LIMIT_BYTES: String(IMPORT_LIMIT) } });
    biomed = await createKey(t, 'biomed');
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const csv = (body: string, key = biomed) => t.api(key).post(IMPORT).set('Content-Type', 'text/csv').send(body);
  const fhir = (bundle: unknown, type = 'application/fhir+json') => t.api(biomed).post(IMPORT).set('Content-Type', type).send(JSON.stringify(bundle));
  const deviceCount = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM devices'))[0].n;
  const bundleOf = (...devices: Record<string, unknown>[]) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: devices.map((resource) => ({ resource: { resourceType: 'Device', ...resource } })),
  });

  let gtinSeq = 500;
  const freshGtin = () => {
    const body = `0761234500${String(gtinSeq++).padStart(3, '0')}`;
    return body + computeGtinCheckDigit(body);
  };

  /** A manufacturer with an alias and one model with a GTIN; names unique per call. */
  async function catalog() {
    const tag = randomUUID().slice(0, 8);
    const maker = await createManufacturer(t, { name: `Baxter ${tag}`, aliases: [`Baxter Healthcare ${tag}`] });
    const gtin = freshGtin();
    const model = await createModel(t, maker.id, { modelNumber: `35700BAX-${tag}`, name: 'Sigma Spectrum', gtin });
    return { tag, maker: maker.name, alias: `Baxter Healthcare ${tag}`, modelId: model.id, modelNumber: model.modelNumber, gtin };
  }

  /** Runs a request that must be refused, and checks that nothing was written. */
  async function refused(send: () => Promise<{ status: number; body: Record<string, unknown> }>, status = 400) {
    const before = await deviceCount();
    const res = await send();
    expect(res.status).toBe(status);
    expect(await deviceCount()).toBe(before);
    return res.body;
  }

  describe('CSV', () => {
    it('imports every row with its fields, the UDI parsed, the model found by name or alias in any case', async () => {
      const c = await catalog();
      const udi = `(01)${c.gtin}(17)141120(10)7654321D(21)SN-A`;
      const res = await csv(
        `${HEADER}\n` +
          `${c.maker.toUpperCase()},${c.modelNumber},SN-A,TAG-A-${c.tag},${udi},8.00.01,"Building A / ICU, Bed 12",Intensive Care\n` +
          `${c.alias},${c.modelNumber.toLowerCase()},SN-B,,,,,\n`,
      ).expect(201);
      expect(res.body).toEqual({ imported: 2, ids: [expect.any(String), expect.any(String)] });
      const [a, b] = await Promise.all(res.body.ids.map((id: string) => t.api().get(`/api/v1/devices/${id}`).expect(200)));
      expect(a.body).toMatchObject({
        modelId: c.modelId,
        serialNumber: 'SN-A',
        assetTag: `TAG-A-${c.tag}`,
        udi,
        udiDi: c.gtin,
        lotNumber: '7654321D',
        expirationDate: '2014-11-20',
        firmwareVersion: '8.00.01',
        location: 'Building A / ICU, Bed 12',
        department: 'Intensive Care',
        status: 'active',
        connectivity: 'never_seen',
      });
      expect(b.body).toMatchObject({
        modelId: c.modelId,
        serialNumber: 'SN-B',
        assetTag: null,
        udi: null,
        firmwareVersion: null,
        location: null,
        department: null,
      });
    });

    it('accepts a modelId column in place of manufacturer and modelNumber', async () => {
      const c = await catalog();
      const res = await csv(`modelId,serialNumber\n${c.modelId},SN-BY-ID\n`).expect(201);
      const device = await t.api().get(`/api/v1/devices/${res.body.ids[0]}`).expect(200);
      expect([device.body.modelId, device.body.serialNumber]).toEqual([c.modelId, 'SN-BY-ID']);
    });

    it('sets the SSVC inputs systemExposure, missionImpact and safetyImpact (any may be left empty), and decides findings with them', async () => {
      const c = await catalog();
      const res = await csv(
        `modelId,serialNumber,systemExposure,missionImpact,safetyImpact\n${c.modelId},SSVC-1,small,degraded,negligible\n${c.modelId},SSVC-2,,,\n`,
      ).expect(201);
      const devices = await Promise.all(res.body.ids.map(async (id: string) => (await t.api().get(`/api/v1/devices/${id}`).expect(200)).body));
      expect(devices.map((d) => [d.serialNumber, d.systemExposure, d.missionImpact, d.safetyImpact])).toEqual([
        ['SSVC-1', 'small', 'degraded', 'negligible'],
        ['SSVC-2', null, null, null],
      ]);
    });

    it('refuses a bad SSVC input with a row error naming the column, and imports nothing', async () => {
      const c = await catalog();
      const body = await refused(() =>
        csv(`modelId,serialNumber,systemExposure,safetyImpact\n${c.modelId},SSVC-BAD-1,wide_open,\n${c.modelId},SSVC-BAD-2,,lethal\n`),
      );
      expect(body.rows).toEqual([
        { row: 1, field: 'systemExposure', message: expect.stringMatching(/small, controlled, open/) },
        { row: 2, field: 'safetyImpact', message: expect.stringMatching(/negligible, marginal, critical, catastrophic/) },
      ]);
    });

    it("records the firmware of each imported device in its history with source 'import'", async () => {
      const c = await catalog();
      const res = await csv(`${HEADER}\n${c.maker},${c.modelNumber},SN-FW,,,2.4.1,,\n`).expect(201);
      const history = await t.api().get(`/api/v1/devices/${res.body.ids[0]}/firmware-history`).expect(200);
      expect(history.body.map((h: { fromVersion: string | null; toVersion: string; source: string }) => [h.fromVersion, h.toVersion, h.source])).toEqual([
        [null, '2.4.1', 'import'],
      ]);
    });

    it('writes one audit entry for the import with its format, count and ids', async () => {
      const c = await catalog();
      const res = await csv(`${HEADER}\n${c.maker},${c.modelNumber},SN-AU1,,,,,\n${c.maker},${c.modelNumber},SN-AU2,,,,,\n`).expect(201);
      const audit = await t.api().get('/api/v1/audit?action=import&limit=1').expect(200);
      expect(audit.body.items[0]).toMatchObject({
        action: 'import',
        entityType: 'device',
        entityId: null,
        changes: { format: 'csv', count: 2, ids: res.body.ids },
      });
    });

    it("emits one devices-changed event with reason 'import' and every id", async () => {
      const c = await catalog();
      const events: DevicesChangedEvent[] = [];
      const listener = (e: DevicesChangedEvent) => void events.push(e);
      t.app.get(EventEmitter2).on(DEVICES_CHANGED, listener);
      try {
        const res = await csv(`${HEADER}\n${c.maker},${c.modelNumber},SN-EV1,,,,,\n${c.maker},${c.modelNumber},SN-EV2,,,,,\n`).expect(201);
        expect(events).toEqual([{ deviceIds: res.body.ids, reason: 'import' }]);
      } finally {
        t.app.get(EventEmitter2).off(DEVICES_CHANGED, listener);
      }
    });

    it('imports 10,000 rows in one request', async () => {
      const c = await catalog();
      const lines = Array.from(
        { length: 10_000 },
        (_, i) => `${c.maker},${c.modelNumber},BULK-${i},BULK-TAG-${c.tag}-${i},,${1 + (i % 3)}.0.${i % 7},Ward ${i % 40},Dept ${i % 9}`,
      );
      const body = `${HEADER}\n${lines.join('\n')}\n`;
      const before = await deviceCount();
      const started = performance.now();
      const res = await csv(body);
      const ms = Math.round(performance.now() - started);
      console.log(`10,000-row CSV import (${(body.length / 1024 / 1024).toFixed(2)} MiB): ${ms} ms`);
      expect(res.status).toBe(201);
      expect(res.body.imported).toBe(10_000);
      expect(new Set(res.body.ids).size).toBe(10_000);
      expect(await deviceCount()).toBe(before + 10_000);
      const last = await t.api().get(`/api/v1/devices/${res.body.ids[9_999]}`).expect(200);
      expect(last.body).toMatchObject({
        serialNumber: 'BULK-9999',
        assetTag: `BULK-TAG-${c.tag}-9999`,
        firmwareVersion: '1.0.3',
        location: 'Ward 39',
        department: 'Dept 0',
      });
    });
  });

  describe('FHIR R4 Bundle', () => {
    it('imports a Bundle of Devices sent as application/fhir+json, mapping UDI, firmware, asset tag and location', async () => {
      const c = await catalog();
      const udi = `(01)${c.gtin}(10)LOT-9(21)FH-1`;
      const res = await fhir(
        bundleOf({
          manufacturer: c.alias,
          modelNumber: c.modelNumber,
          serialNumber: 'FH-1',
          identifier: [{ type: { text: 'Asset tag' }, value: `FH-TAG-${c.tag}` }],
          udiCarrier: [{ deviceIdentifier: c.gtin, carrierHRF: udi }],
          version: [
            { type: { text: 'hardware' }, value: 'rev B' },
            { type: { text: 'firmware' }, value: '3.1.0' },
          ],
          location: { display: 'OR 2' },
        }),
      ).expect(201);
      const device = await t.api().get(`/api/v1/devices/${res.body.ids[0]}`).expect(200);
      expect(device.body).toMatchObject({
        modelId: c.modelId,
        serialNumber: 'FH-1',
        assetTag: `FH-TAG-${c.tag}`,
        udi,
        udiDi: c.gtin,
        lotNumber: 'LOT-9',
        firmwareVersion: '3.1.0',
        location: 'OR 2',
      });
      const history = await t.api().get(`/api/v1/devices/${res.body.ids[0]}/firmware-history`).expect(200);
      expect(history.body.map((h: { source: string }) => h.source)).toEqual(['import']);
    });

    it('reads the SSVC inputs from Device.property, and names the element of a bad value', async () => {
      const c = await catalog();
      const ssvc = (exposure: string) => [
        { type: { text: 'systemExposure' }, valueCode: [{ text: exposure }] },
        { type: { coding: [{ code: 'missionImpact' }] }, valueCode: [{ coding: [{ code: 'mef_failure' }] }] },
        { type: { text: 'safetyImpact' }, valueCode: [{ text: 'critical' }] },
      ];
      const res = await fhir(bundleOf({ manufacturer: c.maker, modelNumber: c.modelNumber, serialNumber: 'FH-SSVC', property: ssvc('controlled') })).expect(
        201,
      );
      const device = (await t.api().get(`/api/v1/devices/${res.body.ids[0]}`).expect(200)).body;
      expect([device.systemExposure, device.missionImpact, device.safetyImpact]).toEqual(['controlled', 'mef_failure', 'critical']);

      const body = await refused(() =>
        fhir(bundleOf({ manufacturer: c.maker, modelNumber: c.modelNumber, serialNumber: 'FH-SSVC-BAD', property: ssvc('everywhere') })),
      );
      expect(body.rows).toEqual([{ row: 1, field: 'property[0].valueCode[0]', message: expect.stringMatching(/small, controlled, open/) }]);
    });

    it('accepts a Bundle sent as application/json', async () => {
      const c = await catalog();
      const res = await fhir(bundleOf({ manufacturer: c.maker, modelNumber: c.modelNumber, serialNumber: 'FH-JSON' }), 'application/json').expect(201);
      expect(res.body.imported).toBe(1);
    });

    it('takes a Bundle larger than the 1 MiB limit of other JSON bodies', async () => {
      const c = await catalog();
      const devices = Array.from({ length: 3_000 }, (_, i) => ({
        manufacturer: c.maker,
        modelNumber: c.modelNumber,
        serialNumber: `BIG-${i}`,
        location: { display: `Room ${i} `.padEnd(200, '.') },
      }));
      const body = JSON.stringify(bundleOf(...devices));
      expect(body.length).toBeGreaterThan(t.config.HTTP_BODY_LIMIT_BYTES);
      const res = await t.api(biomed).post(IMPORT).set('Content-Type', 'application/fhir+json').send(body).expect(201);
      expect(res.body.imported).toBe(3_000);
    });

    it('imports the Bundle that GET /fhir/Device publishes, once the serials are new', async () => {
      const c = await catalog();
      await createDevice(t, c.modelId, { serialNumber: 'RT-1', assetTag: `RT-TAG-${c.tag}`, firmwareVersion: '5.0', location: 'Ward 5' });
      const published = await t
        .api()
        .get(`/api/v1/fhir/Device?model=${encodeURIComponent(c.modelNumber)}`)
        .expect(200);
      const copy = JSON.parse(published.text);
      copy.entry[0].resource.serialNumber = 'RT-2';
      copy.entry[0].resource.identifier = copy.entry[0].resource.identifier.map((i: { type: { text: string }; value: string }) =>
        i.type.text === 'Asset tag' ? { ...i, value: `RT-TAG2-${c.tag}` } : i,
      );
      const res = await fhir(copy).expect(201);
      const device = await t.api().get(`/api/v1/devices/${res.body.ids[0]}`).expect(200);
      expect(device.body).toMatchObject({ modelId: c.modelId, serialNumber: 'RT-2', assetTag: `RT-TAG2-${c.tag}`, firmwareVersion: '5.0', location: 'Ward 5' });
    });
  });

  describe('refused input writes nothing', () => {
    it('names the data row and line of a CSV with an unclosed quote', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},Q-1,,,,,\n${c.maker},${c.modelNumber},"Q-2,,,,,\n`));
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'nothing imported: 1 problem in 1 row; first: row 2: the CSV cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 3',
        rows: [{ row: 2, field: null, message: 'the CSV cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 3' }],
      });
    });

    it('names the data row of a CSV record with a stray quote', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},"Q-3"x,,,,,\n`));
      expect(body.rows).toEqual([
        { row: 1, field: null, message: expect.stringMatching(/^the CSV cannot be read: Invalid Closing Quote: got "x" at line 2 /) },
      ]);
    });

    it('refuses an unknown manufacturer and an unknown model of a known one, by row', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},OK-1,,,,,\nNo Such Maker,X,U-1,,,,,\n${c.maker},NO-SUCH-MODEL,U-2,,,,,\n`));
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'nothing imported: 2 problems in 2 rows; first: row 2 manufacturer: no manufacturer named "No Such Maker" (name or alias, ignoring case)',
        rows: [
          { row: 2, field: 'manufacturer', message: 'no manufacturer named "No Such Maker" (name or alias, ignoring case)' },
          { row: 3, field: 'modelNumber', message: `manufacturer "${c.maker}" has no model "NO-SUCH-MODEL"` },
        ],
      });
    });

    it('refuses a serial repeated within the file for the same model', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},DUP-1,,,,,\n${c.alias},${c.modelNumber},DUP-1,,,,,\n`));
      expect(body.rows).toEqual([{ row: 2, field: 'serialNumber', message: '"DUP-1" is already in row 1 for the same model' }]);
    });

    it('refuses a serial and an asset tag the inventory already holds', async () => {
      const c = await catalog();
      await createDevice(t, c.modelId, { serialNumber: 'TAKEN-1', assetTag: `TAKEN-TAG-${c.tag}` });
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},TAKEN-1,,,,,\n${c.maker},${c.modelNumber},FREE-1,TAKEN-TAG-${c.tag},,,,\n`));
      expect(body.rows).toEqual([
        { row: 1, field: 'serialNumber', message: 'a device of this model with serial "TAKEN-1" is already registered' },
        { row: 2, field: 'assetTag', message: `another device already has asset tag "TAKEN-TAG-${c.tag}"` },
      ]);
    });

    it('refuses a UDI with a wrong check digit, and one whose GTIN is not the model', async () => {
      const c = await catalog();
      const body = await refused(() =>
        csv(
          `${HEADER}\n${c.maker},${c.modelNumber},UDI-1,,(01)00844588003281(21)UDI-1,,,\n${c.maker},${c.modelNumber},UDI-2,,(01)00614141999996(21)UDI-2,,,\n`,
        ),
      );
      expect(body.rows).toEqual([
        { row: 1, field: 'udi', message: expect.stringMatching(/check digit/i) },
        { row: 2, field: 'udi', message: `device identifier 00614141999996 does not match the model's GTIN ${c.gtin}` },
      ]);
    });

    it('applies the field rules of POST /devices to every row', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`${HEADER}\n${c.maker},${c.modelNumber},${'S'.repeat(101)},,,bad version ,,\n`));
      expect(body.rows).toEqual([
        { row: 1, field: 'serialNumber', message: 'must be shorter than or equal to 100 characters' },
        { row: 1, field: 'firmwareVersion', message: 'must be 1-100 printable characters without leading or trailing spaces' },
      ]);
    });

    it('refuses a CSV with an unknown column, naming it', async () => {
      const body = await refused(() => csv('manufacturer,modelNumber,serialNumber,colour\nA,B,C,red\n'));
      expect(body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'header: unknown column "colour"; the columns are manufacturer, modelNumber, modelId, serialNumber, assetTag, udi, firmwareVersion, location, department, systemExposure, missionImpact, safetyImpact',
      });
    });

    it('refuses an empty file', async () => {
      const body = await refused(() => csv(''));
      expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'body: the file is empty' });
    });

    it('refuses a CSV with only a header', async () => {
      const body = await refused(() => csv(`${HEADER}\n`));
      expect(body.message).toBe('body: the file has a header but no device rows');
    });

    it('refuses more than 50,000 rows', async () => {
      const c = await catalog();
      const body = await refused(() => csv(`modelId,serialNumber\n${Array.from({ length: 50_001 }, (_, i) => `${c.modelId},M${i}`).join('\n')}\n`));
      expect(body.message).toBe('body: 50001 devices; at most 50000 can be imported at once, split the file');
    });

    it('answers 415 for a body that is neither CSV nor FHIR JSON', async () => {
      const body = await refused(() => t.api(biomed).post(IMPORT).set('Content-Type', 'application/xml').send('<devices/>'), 415);
      expect(body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'Content-Type: must be text/csv or application/fhir+json (a FHIR R4 Bundle of Device resources), got "application/xml"',
      });
    });

    it('answers 413 in the usual JSON error shape for a CSV over the import limit', async () => {
      const body = await refused(() => csv(`${HEADER}\n${'x'.repeat(IMPORT_LIMIT)}\n`), 413);
      expect(body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'body: request body is larger than the allowed limit' });
    });

    it('answers 413 for a FHIR Bundle over the import limit', async () => {
      const body = await refused(() => fhir({ resourceType: 'Bundle', type: 'collection', entry: [], pad: 'x'.repeat(IMPORT_LIMIT) }), 413);
      expect(body.statusCode).toBe(413);
    });

    it('answers 400 for malformed JSON', async () => {
      const body = await refused(() => t.api(biomed).post(IMPORT).set('Content-Type', 'application/fhir+json').send('{"resourceType": "Bundle",'));
      expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'body: is not valid JSON' });
    });

    it('refuses JSON that is not a Bundle', async () => {
      const body = await refused(() => fhir({ resourceType: 'Device', serialNumber: 'X' }));
      expect(body.message).toBe('body: expected a FHIR R4 Bundle of Device resources (resourceType "Bundle") or a text/csv file');
    });

    it('names Bundle entries by number and Device elements by FHIR path', async () => {
      const c = await catalog();
      const body = await refused(() =>
        fhir({
          resourceType: 'Bundle',
          type: 'collection',
          entry: [
            {
              resource: {
                resourceType: 'Device',
                manufacturer: c.maker,
                modelNumber: c.modelNumber,
                serialNumber: 'E-1',
                version: [{ type: { text: 'firmware' }, value: ' 1.0' }],
              },
            },
            { resource: { resourceType: 'Patient' } },
            {
              resource: {
                resourceType: 'Device',
                manufacturer: c.maker,
                modelNumber: c.modelNumber,
                serialNumber: 'E-3',
                udiCarrier: [{ carrierHRF: 'not a udi' }],
              },
            },
          ],
        }),
      );
      expect(body.rows).toEqual([
        { row: 1, field: 'version[0].value', message: 'must be 1-100 printable characters without leading or trailing spaces' },
        { row: 2, field: 'resource', message: 'must be a Device resource' },
        { row: 3, field: 'udiCarrier[0].carrierHRF', message: expect.stringMatching(/^not a recognised UDI/) },
      ]);
    });
  });

  describe('roles', () => {
    it('lets admin import', async () => {
      const c = await catalog();
      await csv(`modelId,serialNumber\n${c.modelId},ADMIN-1\n`, t.adminKey).expect(201);
    });

    it('refuses the it role with 403', async () => {
      const c = await catalog();
      const it_ = await createKey(t, 'it');
      await refused(() => csv(`modelId,serialNumber\n${c.modelId},IT-1\n`, it_), 403);
    });

    it('refuses the manufacturer role with 403, even for its own models', async () => {
      const c = await catalog();
      const model = await t.api().get(`/api/v1/models/${c.modelId}`).expect(200);
      const vendor = await createKey(t, 'manufacturer', model.body.manufacturerId);
      await refused(() => csv(`modelId,serialNumber\n${c.modelId},VENDOR-1\n`, vendor), 403);
    });

    it('refuses a request without a key with 401', async () => {
      const c = await catalog();
      await refused(() => t.http().post(IMPORT).set('Content-Type', 'text/csv').send(`modelId,serialNumber\n${c.modelId},ANON-1\n`), 401);
    });
  });
});
