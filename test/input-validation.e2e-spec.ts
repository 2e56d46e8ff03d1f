import { randomUUID } from 'node:crypto';
import { createDevice, createModel, seedModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Input that once answered 500 on both databases: each is now a 400 whose message names the
 * field, and nothing of it reaches the database (the audit chain stays whole).
 */
const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('invalid input answers 400 naming the field', () => {
  let t: TestApp;
  let deviceId: string;
  let modelId: string;
  let manufacturerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ manufacturerId, modelId } = await seedModel(t));
    deviceId = (await createDevice(t, modelId, { firmwareVersion: '1.0' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectRefused = (res: { status: number; body: { message?: string } }, field: string) => {
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringContaining(`${field}:`) });
  };
  const postJson = (path: string, json: string) => t.api().post(path).set('Content-Type', 'application/json').send(json);

  describe('dates that are not real instants', () => {
    it.each([
      ['/api/v1/devices?seenAfter=2023-02-29T00:00:00Z', 'seenAfter'],
      ['/api/v1/devices?seenBefore=2023-02-29T00:00:00Z', 'seenBefore'],
      ['/api/v1/devices?seenAfter=2024-W01', 'seenAfter'],
      ['/api/v1/devices?seenBefore=0000-01-01T00:00:00Z', 'seenBefore'],
      ['/api/v1/audit?since=2024-W01', 'since'],
      ['/api/v1/audit?until=2023-02-29T00:00:00Z', 'until'],
      ['/api/v1/audit?since=0000-01-01T00:00:00Z', 'since'],
      ['/api/v1/ingest/unknown-devices?seenAfter=2023-02-29T00:00:00Z', 'seenAfter'],
      ['/api/v1/ingest/unknown-devices?seenAfter=0000-01-01T00:00:00Z', 'seenAfter'],
    ])('GET %s', async (url, field) => {
      expectRefused(await t.api().get(url), field);
    });

    it('refuses an impossible publishedAt and releasedAt in bodies', async () => {
      expectRefused(
        await t
          .api()
          .post('/api/v1/advisories')
          .send({ manufacturerId, title: 'x', publishedAt: '2023-02-29T00:00:00Z', affected: [{ modelId, versions: '*' }] }),
        'publishedAt',
      );
      expectRefused(await t.api().post(`/api/v1/models/${modelId}/firmware-releases`).send({ version: '9.9', releasedAt: '2023-02-29' }), 'releasedAt');
    });

    it('keeps accepting real instants with any offset', async () => {
      await t.api().get('/api/v1/devices?seenAfter=2024-02-29T23:59:59.999999%2B14:00').expect(200);
      await t.api().get('/api/v1/audit?since=2024-02-29T00:00:00Z&until=2099-12-31T23:59:59-09:30').expect(200);
    });
  });

  describe('numbers that are not whole numbers in range', () => {
    it.each([
      ['/api/v1/advisories?limit=1.5', 'limit'],
      ['/api/v1/advisories?offset=1e20', 'offset'],
      ['/api/v1/advisories?offset=99999999999999999999', 'offset'],
      ['/api/v1/models?offset=1e20', 'offset'],
      ['/api/v1/reports/exposure-unknown?offset=1e20', 'offset'],
      ['/api/v1/devices?limit=0x10', 'limit'],
      ['/api/v1/findings?cursor=99999999999999999999', 'cursor'],
      ['/api/v1/findings?cursor=1.5', 'cursor'],
      ['/api/v1/ingest/rejections?cursor=1.5', 'cursor'],
      ['/api/v1/ingest/rejections?cursor=99999999999999999999', 'cursor'],
      ['/api/v1/audit?cursor=1e3', 'cursor'],
    ])('GET %s', async (url, field) => {
      expectRefused(await t.api().get(url), field);
    });

    it('refuses a CVSS score in exponent notation beyond one decimal (1e-7)', async () => {
      const res = await postJson(
        '/api/v1/advisories',
        `{"manufacturerId":"${manufacturerId}","title":"x","cvssScore":1e-7,"affected":[{"modelId":"${modelId}","versions":"*"}]}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('cvssScore: must be a number with at most 1 decimal place');
    });
  });

  describe('forged cursors', () => {
    it.each([
      ['a report cursor with rank 1.5', () => `/api/v1/reports/outdated-firmware?cursor=${forge([1.5, 7.5, deviceId])}`],
      [
        'a report cursor in the old object form with rank 1.5',
        () => `/api/v1/reports/outdated-firmware?cursor=${forge({ rank: 1.5, cvss: 7.5, id: deviceId })}`,
      ],
      ['a report cursor with a score beyond numeric(3,1)', () => `/api/v1/reports/outdated-firmware?cursor=${forge([3, 1e20, deviceId])}`],
      ['a device cursor in year 0000', () => `/api/v1/devices?cursor=${forge(['createdAt', '0000-01-01T00:00:00Z', deviceId])}`],
      ['a device cursor with a week date', () => `/api/v1/devices?sort=lastSeenAt&cursor=${forge(['lastSeenAt', '2024-W01', deviceId])}`],
      ['a FHIR page token in year 0000', () => `/api/v1/fhir/Device?_cursor=${forge(['createdAt', '0000-01-01T00:00:00Z', deviceId])}`],
    ])('refuses %s', async (_, url) => {
      const res = await t.api().get(url());
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/_?cursor: /);
    });
  });

  describe('lone surrogates', () => {
    it.each([
      ['/api/v1/manufacturers', 'name', () => `{"name":"x\\ud800"}`],
      ['/api/v1/manufacturers', 'aliases[1]', () => `{"name":"Vendor ${randomUUID()}","aliases":["ok","\\udc00"]}`],
      ['/api/v1/models', 'modelNumber', () => `{"manufacturerId":"${manufacturerId}","modelNumber":"M-\\ud800","name":"Pump","category":"facility"}`],
      ['/api/v1/devices', 'location', () => `{"modelId":"${modelId}","serialNumber":"SN-${randomUUID()}","location":"ICU \\udfff"}`],
      ['/api/v1/advisories', 'title', () => `{"manufacturerId":"${manufacturerId}","title":"x\\ud800","affected":[{"modelId":"${modelId}","versions":"*"}]}`],
    ])('POST %s refuses one in %s', async (path, field, json) => {
      const res = await postJson(path, json());
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`${field}: must be valid Unicode text (it contains a lone UTF-16 surrogate)`);
    });

    it('refuses one anywhere in a CSAF document, naming where', async () => {
      const doc = csafFixture('icsma-21-012-01');
      doc.document.title = 'Pump \ud800 advisory';
      const res = await t.api().post('/api/v1/advisories/csaf').set('Content-Type', 'application/json').send(JSON.stringify(doc));
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('document.title: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    });

    it('keeps real characters outside the basic plane, and the audit chain stays whole', async () => {
      const made = await t
        .api()
        .post('/api/v1/manufacturers')
        .send({ name: `Pump maker \u{1F600} \u{20000} ${randomUUID()}` })
        .expect(201);
      expect(made.body.name).toContain('\u{1F600}');
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
    });
  });

  describe('fields that must not be null or may not be sent', () => {
    it('PATCH /devices/:id with {"serialNumber":null}', async () => {
      const res = await t.api().patch(`/api/v1/devices/${deviceId}`).send({ serialNumber: null });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('serialNumber: must not be null');
    });

    it('PATCH /models/:id with {"category":null} and {"name":null}', async () => {
      const model = await createModel(t, manufacturerId);
      expectRefused(await t.api().patch(`/api/v1/models/${model.id}`).send({ category: null }), 'category');
      expectRefused(await t.api().patch(`/api/v1/models/${model.id}`).send({ name: null }), 'name');
    });

    it('still unlinks a patient with patientRef: null, the one field documented nullable', async () => {
      await t.api().patch(`/api/v1/devices/${deviceId}`).send({ patientRef: 'MRN-1' }).expect(200);
      expect((await t.api().patch(`/api/v1/devices/${deviceId}`).send({ patientRef: null }).expect(200)).body.patientRef).toBeNull();
    });

    it.each(['constructor', 'prototype', '__proto__', 'toString'])('refuses a body field named %s like any unknown field', async (name) => {
      const res = await postJson('/api/v1/manufacturers', `{"name":"Vendor ${randomUUID()}","${name}":{"x":1}}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`${name}: is not an allowed field`);
      const nested = await postJson(
        '/api/v1/advisories',
        `{"manufacturerId":"${manufacturerId}","title":"x","affected":[{"modelId":"${modelId}","versions":"*","${name}":1}]}`,
      );
      expect(nested.status).toBe(400);
      expect(nested.body.message).toBe(`affected[0].${name}: is not an allowed field`);
    });
  });

  describe('valid writes at the same time', () => {
    it('concurrent PATCHes of one advisory each get their own revision, none a 500', async () => {
      const advisory = await t
        .api()
        .post('/api/v1/advisories')
        .send({ manufacturerId, title: 'Race', affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] })
        .expect(201);
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          t
            .api()
            .patch(`/api/v1/advisories/${advisory.body.id}`)
            .send({ title: `Race ${i}`, affected: [{ modelId, versions: i % 2 ? '<2.1' : '<2.0' }] }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.map((a) => a.body.revision).sort()).toEqual([2, 3, 4, 5]);
      const revisions = await t.api().get(`/api/v1/advisories/${advisory.body.id}/revisions`).expect(200);
      expect(revisions.body).toHaveLength(4);
    });
  });
});
