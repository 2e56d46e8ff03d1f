import type { Bundle, Device, Resource } from '@medplum/fhirtypes';
import { computeGtinCheckDigit } from '../src/inventory/udi';
import { validateR4 } from './support/fhir-r4-validator';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { startTestApp, TestApp } from './support/test-app';

const FHIR = '/api/v1/fhir/Device';
const FHIR_JSON = 'application/fhir+json';

/** Every resource the FHIR endpoints produce must pass the R4 validator; the failure shows what it found. */
function expectValidR4(resource: Resource): void {
  const report = validateR4(resource);
  expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: report.warnings });
}

describe('FHIR R4: GET /fhir/Device', () => {
  let t: TestApp;
  let biomed: string;
  let it_: string;
  let vendor: string;
  const gtin = (() => {
    const body = '0088888800012';
    return body + computeGtinCheckDigit(body);
  })();
  const udi = `(01)${gtin}(17)141120(10)7654321D(21)SN-A1`;
  const ids: Record<string, string> = {};
  let all: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    biomed = await createKey(t, 'biomed');
    it_ = await createKey(t, 'it');
    const baxter = await createManufacturer(t, { name: 'Baxter' });
    const braun = await createManufacturer(t, { name: 'B. Braun' });
    vendor = await createKey(t, 'manufacturer', baxter.id);
    const sigma = await createModel(t, baxter.id, { modelNumber: '35700BAX3', name: 'Sigma Spectrum', gtin });
    const space = await createModel(t, braun.id, { modelNumber: '8713030', name: 'Infusomat Space' });
    // Created one by one: the default order is creation order.
    ids.a1 = (
      await createDevice(t, sigma.id, {
        serialNumber: 'SN-A1',
        assetTag: 'BME-1',
        udi,
        firmwareVersion: '8.00.01',
        location: 'ICU / Bed 12',
        department: 'ICU',
      })
    ).id;
    ids.a2 = (await createDevice(t, sigma.id, { serialNumber: 'SN-A2' })).id;
    ids.b1 = (await createDevice(t, space.id, { serialNumber: 'SN-B1' })).id;
    for (let i = 1; i <= 5; i++) ids[`p${i}`] = (await createDevice(t, space.id, { serialNumber: `PG-${i}` })).id;
    await t.api().patch(`/api/v1/devices/${ids.a2}`).send({ status: 'maintenance' }).expect(200);
    await t.api().delete(`/api/v1/devices/${ids.b1}`).expect(200);
    all = [ids.a1, ids.a2, ids.b1, ids.p1, ids.p2, ids.p3, ids.p4, ids.p5];
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = async (query: string, key?: string): Promise<Bundle<Device>> => {
    const res = await t.api(key).get(`${FHIR}${query}`).expect(200);
    expectValidR4(res.body);
    return res.body;
  };
  const entryIds = (bundle: Bundle<Device>) => (bundle.entry ?? []).map((e) => e.resource?.id);

  describe('read', () => {
    it('returns a device as an R4 Device with every mapped field, as application/fhir+json', async () => {
      const res = await t.api(biomed).get(`${FHIR}/${ids.a1}`).expect(200);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(res.body).toEqual({
        resourceType: 'Device',
        id: ids.a1,
        meta: { lastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
        identifier: [
          {
            type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SNO', display: 'Serial Number' }], text: 'Serial number' },
            value: 'SN-A1',
          },
          { type: { text: 'Asset tag' }, value: 'BME-1' },
        ],
        udiCarrier: [
          {
            deviceIdentifier: gtin,
            issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di',
            jurisdiction: 'http://hl7.org/fhir/NamingSystem/fda-udi',
            carrierHRF: udi,
            entryType: 'unknown',
          },
        ],
        status: 'active',
        manufacturer: 'Baxter',
        deviceName: [{ name: 'Sigma Spectrum', type: 'model-name' }],
        modelNumber: '35700BAX3',
        serialNumber: 'SN-A1',
        lotNumber: '7654321D',
        expirationDate: '2014-11-20',
        version: [{ type: { text: 'firmware' }, value: '8.00.01' }],
        location: { display: 'ICU / Bed 12' },
      });
      expectValidR4(res.body);
    });

    it('shows a device in maintenance as active and a decommissioned one as inactive', async () => {
      const maintenance = await t.api().get(`${FHIR}/${ids.a2}`).expect(200);
      const decommissioned = await t.api().get(`${FHIR}/${ids.b1}`).expect(200);
      expect([maintenance.body.status, decommissioned.body.status]).toEqual(['active', 'inactive']);
      expectValidR4(maintenance.body);
      expectValidR4(decommissioned.body);
    });

    it('answers 404 in the usual JSON error shape for an unknown id', async () => {
      const res = await t.api().get(`${FHIR}/00000000-0000-4000-8000-000000000000`).expect(404);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Device 00000000-0000-4000-8000-000000000000 not found' });
    });

    it('answers 404 for an id that is not one of ours', async () => {
      const res = await t.api().get(`${FHIR}/example-device`).expect(404);
      expect(res.body.message).toBe('Device example-device not found');
    });

    it('answers a FHIR client (Accept: application/fhir+json) with an R4 OperationOutcome', async () => {
      const res = await t.api().get(`${FHIR}/00000000-0000-4000-8000-000000000000`).set('Accept', FHIR_JSON).expect(404);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Device 00000000-0000-4000-8000-000000000000 not found' }],
      });
      expectValidR4(res.body);
    });
  });

  describe('search', () => {
    it('returns every device, decommissioned included, as a searchset with total, self link and absolute fullUrls', async () => {
      const res = await t.api().get(FHIR).expect(200);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      const bundle: Bundle<Device> = res.body;
      expectValidR4(bundle);
      expect(bundle).toMatchObject({
        resourceType: 'Bundle',
        type: 'searchset',
        total: 8,
        link: [{ relation: 'self', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/fhir\/Device$/) }],
      });
      expect(entryIds(bundle)).toEqual(all);
      const base = bundle.link![0].url.replace(/\/Device$/, '');
      expect(bundle.entry!.map((e) => [e.fullUrl, e.search?.mode])).toEqual(all.map((id) => [`${base}/Device/${id}`, 'match']));
    });

    it('finds a device by serial number and by asset tag through identifier', async () => {
      expect(entryIds(await search('?identifier=SN-A1'))).toEqual([ids.a1]);
      expect(entryIds(await search('?identifier=BME-1'))).toEqual([ids.a1]);
      expect(entryIds(await search('?identifier=%7CSN-A2'))).toEqual([ids.a2]);
      expect(entryIds(await search('?identifier=SN-A2,PG-3'))).toEqual([ids.a2, ids.p3]);
    });

    it('matches no device for an identifier with a system, since ours carry none', async () => {
      const bundle = await search(`?identifier=${encodeURIComponent('urn:oid:1.2.3|SN-A1')}`);
      expect([bundle.total, bundle.entry]).toEqual([0, []]);
    });

    it('filters by the start of the manufacturer name and of the model number, ignoring case', async () => {
      expect(entryIds(await search('?manufacturer=baxter'))).toEqual([ids.a1, ids.a2]);
      expect(entryIds(await search(`?manufacturer=${encodeURIComponent('b. br')}&identifier=PG-1`))).toEqual([ids.p1]);
      expect(entryIds(await search('?model=357'))).toEqual([ids.a1, ids.a2]);
      expect((await search('?model=nope')).total).toBe(0);
    });

    it('maps FHIR status to ours: active is active or maintenance, inactive is decommissioned', async () => {
      expect(entryIds(await search('?status=active'))).toEqual(all.filter((id) => id !== ids.b1));
      expect(entryIds(await search('?status=inactive'))).toEqual([ids.b1]);
      expect((await search('?status=entered-in-error')).total).toBe(0);
    });

    it('refuses a status outside FHIR device-status, naming the parameter', async () => {
      const res = await t.api().get(`${FHIR}?status=maintenance`).expect(400);
      expect(res.body.message).toBe('status: must be active, inactive, entered-in-error or unknown, got "maintenance"');
    });

    it('pages with _count and next links that keep the filters, until no next link', async () => {
      const seen: string[] = [];
      const totals: number[] = [];
      let url: string | undefined = `${FHIR}?manufacturer=${encodeURIComponent('B. Braun')}&_count=2`;
      let pages = 0;
      while (url) {
        const bundle: Bundle<Device> = await search(url.slice(FHIR.length));
        pages++;
        seen.push(...(entryIds(bundle) as string[]));
        totals.push(bundle.total!);
        const next = bundle.link?.find((l) => l.relation === 'next')?.url;
        if (next) expect(new URL(next).searchParams.get('manufacturer')).toBe('B. Braun');
        url = next ? new URL(next).pathname + new URL(next).search : undefined;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([ids.b1, ids.p1, ids.p2, ids.p3, ids.p4, ids.p5]);
      expect(totals).toEqual([6, 6, 6]);
    });

    it('returns 50 devices per page by default', async () => {
      const bundle = await search('');
      expect([bundle.entry!.length, bundle.link!.some((l) => l.relation === 'next')]).toEqual([8, false]);
    });

    it('leaves total out with _total=none', async () => {
      const bundle = await search('?_total=none&_count=1');
      expect(bundle.total).toBeUndefined();
      expect(new URL(bundle.link!.find((l) => l.relation === 'next')!.url).searchParams.get('_total')).toBe('none');
    });

    it.each([
      ['_count=501', '_count: must be a whole number from 1 to 500'],
      ['_count=0', '_count: must be a whole number from 1 to 500'],
      ['_cursor=garbage', '_cursor: is not a page token from this search, or is damaged'],
      ['location=ICU', 'location: is not an allowed field'],
    ])('refuses %s with a 400 naming the parameter', async (query, message) => {
      const res = await t.api().get(`${FHIR}?${query}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message });
    });

    it('answers a FHIR client a bad parameter as an OperationOutcome with issue code invalid', async () => {
      const res = await t.api().get(`${FHIR}?_count=501`).set('Accept', FHIR_JSON).expect(400);
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics: '_count: must be a whole number from 1 to 500' }],
      });
      expectValidR4(res.body);
    });
  });

  describe('roles', () => {
    it('lets admin, biomed and it read and search', async () => {
      for (const key of [t.adminKey, biomed, it_]) {
        await t.api(key).get(`${FHIR}/${ids.a1}`).expect(200);
        expect((await search('?_count=1', key)).total).toBe(8);
      }
    });

    it('refuses the manufacturer role with 403, even for its own devices', async () => {
      await t.api(vendor).get(`${FHIR}/${ids.a1}`).expect(403);
      await t.api(vendor).get(`${FHIR}?manufacturer=Baxter`).expect(403);
    });

    it('refuses a request without a key with 401', async () => {
      const res = await t.http().get(FHIR).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await t.http().get(`${FHIR}/${ids.a1}`).expect(401);
    });

    it('answers a FHIR client without a key with an OperationOutcome with issue code login', async () => {
      const res = await t.http().get(FHIR).set('Accept', FHIR_JSON).expect(401);
      expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: expect.any(String) }] });
      expectValidR4(res.body);
    });
  });
});
