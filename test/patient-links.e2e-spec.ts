import './support/quiet-logger';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DataProtector } from '../src/auth/data-protector';
import { rotateDataKey } from '../src/auth/data-key-rotation';
import { createKey, seedModel } from './factories/inventory.factory';
import { Person, personWithSession, signIn } from './factories/user.factory';
import { sharedTestDatabase, SharedTestDatabase } from './support/shared-database';
import { startTestApp, TestApp } from './support/test-app';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const keyId = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
const ref = () => `MRN-${randomBytes(5).toString('hex')}`;

/**
 * Patient links across the life of the data key: one database, the app restarted under key A,
 * then B alone (before rotation), then B with A as previous (rotation), then B alone again.
 */
describe('patient links: encrypted at rest, shown to admin and biomed only, rotated between keys', () => {
  let shared: SharedTestDatabase;
  let t: TestApp;
  let biomed: string;
  let it_: string;
  let vendor: string;
  let modelId: string;
  let person: Person;
  /** Every patient reference this file ever stored: none may appear in clear anywhere. */
  const stored: string[] = [];

  const boot = (env: Record<string, string>) => startTestApp({ databaseUrl: shared.url, env: { ...shared.appEnv, RATE_LIMIT_AUTH_PER_MIN: '1000', ...env } });
  /** Raw SQL, past the service's code, on the running app's own connection (support/shared-database.ts says why). */
  const sql = <T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> => t.app.get(DataSource).query(text, params);
  const register = async (patientRef?: string, key = biomed) => {
    const body = { modelId, serialNumber: `SN-${randomBytes(4).toString('hex')}`, ...(patientRef !== undefined && { patientRef }) };
    if (patientRef) stored.push(patientRef);
    return (await t.api(key).post('/api/v1/devices').send(body).expect(201)).body;
  };
  const row = async (id: string) =>
    (await sql(`SELECT patient_ref_sealed, patient_ref_key_id, to_jsonb(d)::text AS whole FROM devices d WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    shared = await sharedTestDatabase();
    t = await boot({ IOMT_DATA_KEY: KEY_A });
    const seed = await seedModel(t, { category: 'wearable' });
    modelId = seed.modelId;
    biomed = await createKey(t, 'biomed');
    it_ = await createKey(t, 'it');
    vendor = await createKey(t, 'manufacturer', seed.manufacturerId);
    // A person whose TOTP secret is sealed under key A too, so the rotation has both kinds to do.
    person = (await personWithSession(t, 'biomed')).person;
  });
  afterAll(async () => {
    await t?.close();
    await shared?.drop();
  });

  describe('under key A', () => {
    it('is set by biomed at registration and returned to biomed', async () => {
      const patientRef = ref();
      const created = await register(patientRef);
      expect(created.patientRef).toBe(patientRef);
      expect((await t.api(biomed).get(`/api/v1/devices/${created.id}`).expect(200)).body.patientRef).toBe(patientRef);
    });

    it('is returned to admin and biomed on GET, in the list and in FHIR Device read and search', async () => {
      const patientRef = ref();
      const { id, serialNumber } = await register(patientRef);
      for (const key of [biomed, t.adminKey]) {
        expect((await t.api(key).get(`/api/v1/devices/${id}`).expect(200)).body.patientRef).toBe(patientRef);
        const list = await t.api(key).get(`/api/v1/devices?q=${serialNumber}`).expect(200);
        expect(list.body.items).toEqual([expect.objectContaining({ id, patientRef })]);
        const fhir = await t.api(key).get(`/api/v1/fhir/Device/${id}`).expect(200);
        expect(fhir.body.patient).toEqual({ identifier: { value: patientRef } });
        const search = await t.api(key).get(`/api/v1/fhir/Device?identifier=${serialNumber}`).expect(200);
        expect(search.body.entry[0].resource.patient).toEqual({ identifier: { value: patientRef } });
      }
    });

    it('is null for admin and biomed when the device has no patient', async () => {
      const { id } = await register();
      expect((await t.api(biomed).get(`/api/v1/devices/${id}`).expect(200)).body).toHaveProperty('patientRef', null);
    });

    it('is absent for it on GET, in the list and in FHIR, and manufacturers cannot read devices at all', async () => {
      const patientRef = ref();
      const { id, serialNumber } = await register(patientRef);
      const one = await t.api(it_).get(`/api/v1/devices/${id}`).expect(200);
      expect(one.body).not.toHaveProperty('patientRef');
      const list = await t.api(it_).get(`/api/v1/devices?q=${serialNumber}`).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).not.toHaveProperty('patientRef');
      const fhir = await t.api(it_).get(`/api/v1/fhir/Device/${id}`).expect(200);
      expect(fhir.body).not.toHaveProperty('patient');
      const search = await t.api(it_).get(`/api/v1/fhir/Device?identifier=${serialNumber}`).expect(200);
      expect(search.body.entry[0].resource).not.toHaveProperty('patient');
      for (const path of [`/api/v1/devices/${id}`, `/api/v1/devices?q=${serialNumber}`, `/api/v1/fhir/Device/${id}`]) {
        const denied = await t.api(vendor).get(path).expect(403);
        expect(JSON.stringify(denied.body)).not.toContain(patientRef);
      }
      for (const res of [one, list, fhir, search]) expect(JSON.stringify(res.body)).not.toContain(patientRef);
    });

    it('cannot be set by it or a manufacturer', async () => {
      const { id } = await register();
      await t.api(it_).patch(`/api/v1/devices/${id}`).send({ patientRef: ref() }).expect(403);
      await t.api(vendor).post('/api/v1/devices').send({ modelId, serialNumber: 'SN-VENDOR', patientRef: ref() }).expect(403);
      expect((await row(id)).patient_ref_sealed).toBeNull();
    });

    it('is changed and removed by biomed with PATCH; null removes it', async () => {
      const { id } = await register(ref());
      const next = ref();
      stored.push(next);
      expect((await t.api(biomed).patch(`/api/v1/devices/${id}`).send({ patientRef: next }).expect(200)).body.patientRef).toBe(next);
      expect((await t.api(biomed).patch(`/api/v1/devices/${id}`).send({ patientRef: null }).expect(200)).body.patientRef).toBeNull();
      expect(await row(id)).toMatchObject({ patient_ref_sealed: null, patient_ref_key_id: null });
    });

    it('is removed when the device is decommissioned', async () => {
      const { id } = await register(ref());
      expect((await t.api(biomed).delete(`/api/v1/devices/${id}`).expect(200)).body.patientRef).toBeNull();
      expect((await row(id)).patient_ref_sealed).toBeNull();
    });

    it("is stored only sealed under key A, with key A's id in its own column", async () => {
      const patientRef = ref();
      const { id } = await register(patientRef);
      const r = await row(id);
      expect(r.patient_ref_key_id).toBe(keyId(KEY_A));
      expect(r.patient_ref_sealed).toMatch(new RegExp(`^v1\\.${keyId(KEY_A)}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
      expect(r.whole).not.toContain(patientRef);
      const anywhere = await sql(`SELECT count(*)::int AS n FROM devices d WHERE to_jsonb(d)::text LIKE '%MRN-%'`);
      expect(anywhere).toEqual([{ n: 0 }]);
    });

    it('is refused by the database in clear, even bypassing the service', async () => {
      const { id } = await register();
      await expect(sql(`UPDATE devices SET patient_ref_sealed = 'MRN-123', patient_ref_key_id = $2 WHERE id = $1`, [id, keyId(KEY_A)])).rejects.toThrow(
        /devices_patient_ref_sealed/,
      );
    });

    it('appears in the audit log as changed, never with its value', async () => {
      const first = ref();
      const { id } = await register(first);
      const second = ref();
      stored.push(second);
      await t.api(biomed).patch(`/api/v1/devices/${id}`).send({ patientRef: second, location: 'Ward 3' }).expect(200);
      await t.api(biomed).patch(`/api/v1/devices/${id}`).send({ patientRef: second }).expect(200); // unchanged: no entry
      const entries = (await t.api().get(`/api/v1/audit?entityId=${id}`).expect(200)).body.items;
      expect(entries.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
      expect(entries[0].changes.patientRef).toEqual({ from: '[redacted]', to: '[redacted]' });
      expect(entries[1].changes.patientRef).toBe('[redacted]');
      const sealed = (await row(id)).patient_ref_sealed as string;
      const leaked = await sql(`SELECT count(*)::int AS n FROM audit_log WHERE changes::text LIKE ANY($1::text[])`, [[...stored, sealed].map((v) => `%${v}%`)]);
      expect(leaked).toEqual([{ n: 0 }]);
    });

    it('refuses a patient reference, serial number or asset tag of spaces only, naming the field', async () => {
      for (const [field, value] of [
        ['serialNumber', '   '],
        ['assetTag', ' \t '],
        ['patientRef', '  '],
      ] as const) {
        const res = await t
          .api(biomed)
          .post('/api/v1/devices')
          .send({ modelId, serialNumber: 'SN-OK', [field]: value })
          .expect(400);
        expect(res.body.message).toBe(`${field}: must not be empty or only spaces`);
      }
      const { id } = await register();
      for (const field of ['serialNumber', 'assetTag', 'patientRef']) {
        const res = await t
          .api(biomed)
          .patch(`/api/v1/devices/${id}`)
          .send({ [field]: '    ' })
          .expect(400);
        expect(res.body.message).toBe(`${field}: must not be empty or only spaces`);
      }
    });

    it('trims spaces around a serial number and asset tag on create and update', async () => {
      const created = await t.api(biomed).post('/api/v1/devices').send({ modelId, serialNumber: '  SN-TRIM-1 ', assetTag: ' AT-TRIM-1  ' }).expect(201);
      expect(created.body).toMatchObject({ serialNumber: 'SN-TRIM-1', assetTag: 'AT-TRIM-1' });
      const updated = await t
        .api(biomed)
        .patch(`/api/v1/devices/${created.body.id}`)
        .send({ serialNumber: ' SN-TRIM-2 ', assetTag: '\tAT-TRIM-2 ' })
        .expect(200);
      expect(updated.body).toMatchObject({ serialNumber: 'SN-TRIM-2', assetTag: 'AT-TRIM-2' });
    });
  });

  describe('key rotation from A to B', () => {
    let linked: { id: string; patientRef: string }[];

    beforeAll(async () => {
      // A few more, so that a small batch size makes the rotation take several batches.
      for (let i = 0; i < 3; i++) await register(ref());
      linked = (await t.api(biomed).get('/api/v1/devices?limit=500').expect(200)).body.items
        .filter((d: { patientRef: string | null }) => d.patientRef)
        .map((d: { id: string; patientRef: string }) => ({ id: d.id, patientRef: d.patientRef }));
      expect(linked.length).toBeGreaterThanOrEqual(6);
    });

    const expectAllReadable = async () => {
      for (const { id, patientRef } of linked) expect((await t.api(biomed).get(`/api/v1/devices/${id}`).expect(200)).body.patientRef).toBe(patientRef);
    };

    it('with only B configured, a link under A is a 503 naming key A for biomed, and it still reads the device', async () => {
      await t.close();
      t = await boot({ IOMT_DATA_KEY: KEY_B });
      const res = await t.api(biomed).get(`/api/v1/devices/${linked[0].id}`).expect(503);
      expect(res.body.message).toContain(`data key ${keyId(KEY_A)}, which is not configured`);
      expect(res.body.message).not.toContain(linked[0].patientRef);
      await t.api(it_).get(`/api/v1/devices/${linked[0].id}`).expect(200);
    });

    it('with B current and A previous, every link is still readable', async () => {
      await t.close();
      t = await boot({ IOMT_DATA_KEY: KEY_B, IOMT_DATA_KEY_PREVIOUS: KEY_A });
      await expectAllReadable();
      expect((await row(linked[0].id)).patient_ref_key_id).toBe(keyId(KEY_A));
    });

    it('re-seals every patient link and TOTP secret under B, in batches, and a second run does nothing', async () => {
      const dataSource = t.app.get(DataSource);
      const protector = t.app.get(DataProtector);
      const report = await rotateDataKey(dataSource, protector, 2);
      expect(report).toMatchObject({ currentKeyId: keyId(KEY_B), complete: true });
      const byColumn = Object.fromEntries(report.columns.map((c) => [c.column, c]));
      expect(byColumn['devices.patientRef']).toEqual({
        column: 'devices.patientRef',
        resealed: linked.length,
        unreadable: 0,
        changedMeanwhile: 0,
        underCurrentKey: linked.length,
        underOtherKeys: 0,
      });
      expect(byColumn['users.totpSecret']).toMatchObject({ resealed: 1, unreadable: 0, underOtherKeys: 0 });
      // No webhook in this database: the column is walked and found empty.
      expect(byColumn['webhooks.secret']).toMatchObject({ resealed: 0, unreadable: 0, underCurrentKey: 0, underOtherKeys: 0 });

      const again = await rotateDataKey(dataSource, protector, 2);
      expect(again.columns.map((c) => c.resealed)).toEqual([0, 0, 0]);
      expect(again.complete).toBe(true);

      const keys = await sql(
        `SELECT DISTINCT patient_ref_key_id AS k, split_part(patient_ref_sealed, '.', 2) AS inner FROM devices WHERE patient_ref_sealed IS NOT NULL`,
      );
      expect(keys).toEqual([{ k: keyId(KEY_B), inner: keyId(KEY_B) }]);
      const totp = await sql(`SELECT DISTINCT split_part(totp_secret, '.', 2) AS k FROM users WHERE totp_secret IS NOT NULL`);
      expect(totp).toEqual([{ k: keyId(KEY_B) }]);
      await expectAllReadable();
    });

    it('audits the rotation with counts only', async () => {
      const entries = (await t.api().get('/api/v1/audit?action=rotate-data-key').expect(200)).body.items;
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({ entityType: 'data-key', entityId: keyId(KEY_B), changes: { complete: true } });
      const all = await sql(`SELECT count(*)::int AS n FROM audit_log WHERE changes::text LIKE ANY($1::text[])`, [stored.map((v) => `%${v}%`)]);
      expect(all).toEqual([{ n: 0 }]);
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
    });

    it('with only B configured afterwards, every link is readable and the person still signs in with TOTP', async () => {
      await t.close();
      t = await boot({ IOMT_DATA_KEY: KEY_B });
      await expectAllReadable();
      const token = await signIn(t, person);
      const viaSession = await t.api(token).get(`/api/v1/devices/${linked[0].id}`).expect(200);
      expect(viaSession.body.patientRef).toBe(linked[0].patientRef);
    });
  });
});
