import { randomBytes, randomUUID } from 'node:crypto';
import { createAdvisory, openFindings } from './factories/advisory.factory';
import { buildCsaf, CsafProductSpec } from './factories/csaf.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A hostile manufacturer: a legitimate manufacturer key trying to hide another vendor's exposure
 * from the hospital, take over its advisories, or learn what the hospital runs.
 */
describe("A manufacturer cannot hide, steal or probe another manufacturer's exposure", () => {
  let t: TestApp;
  let itKey: string;
  let biomedKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
    biomedKey = await createKey(t, 'biomed');
  });
  afterAll(async () => {
    await t?.close();
  });

  interface Vendor {
    id: string;
    name: string;
    modelId: string;
    modelName: string;
  }

  /** A manufacturer with one model; names are unique per call so tests do not meet. */
  async function vendor(label: string, model: Record<string, unknown> = {}): Promise<Vendor> {
    const suffix = randomBytes(3).toString('hex');
    const name = `${label} ${suffix}`;
    const m = await createManufacturer(t, { name });
    const modelName = `${label} Infuser ${suffix}`;
    const created = await createModel(t, m.id, { name: modelName, ...model });
    return { id: m.id, name, modelId: created.id, modelName };
  }

  /** Attacker and victim, the victim with a device on firmware 1.0 (exposed to any "<2.0" advisory). */
  async function scene() {
    const attacker = await vendor('Vendor One');
    const victim = await vendor('Vendor Two');
    const attackerKey = await createKey(t, 'manufacturer', attacker.id);
    const victimDevice = await createDevice(t, victim.modelId, { firmwareVersion: '1.0' });
    return { attacker, victim, attackerKey, victimDevice };
  }

  const product = (v: Vendor, versions = '<2.0'): CsafProductSpec => ({ vendor: v.name, product: v.modelName, versions, fixedVersion: '2.0' });
  const importCsaf = (doc: object, key?: string) => t.api(key).post('/api/v1/advisories/csaf').send(doc);
  const trackingId = () => `ICSMA-91-004-${randomBytes(3).toString('hex')}`;

  describe('1. names and aliases are the hospital mapping', () => {
    it("refuses a manufacturer key that sets its aliases to another vendor's name; IT's import still maps that vendor's products to it", async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      const res = await t
        .api(attackerKey)
        .patch(`/api/v1/manufacturers/${attacker.id}`)
        .send({ aliases: [victim.name] });
      expect(res.status).toBe(403);
      const imported = await importCsaf(buildCsaf({ trackingId: trackingId(), version: 1, products: [product(victim)] }), itKey).expect(201);
      expect(imported.body.affected).toEqual([expect.objectContaining({ modelId: victim.modelId })]);
      const details = await t.api().get(`/api/v1/advisories/${imported.body.advisoryId}`).expect(200);
      expect(details.body.manufacturerId).toBe(victim.id);
      expect(await openFindings(t, victimDevice.id)).toEqual([expect.objectContaining({ advisoryId: imported.body.advisoryId })]);
    });

    it('refuses a manufacturer key a rename with the same answer whether or not the name is taken', async () => {
      const { attacker, victim, attackerKey } = await scene();
      const taken = await t
        .api(attackerKey)
        .patch(`/api/v1/manufacturers/${attacker.id}`)
        .send({ name: `${victim.name.replace(' ', '-')}.` });
      const free = await t
        .api(attackerKey)
        .patch(`/api/v1/manufacturers/${attacker.id}`)
        .send({ name: `Nobody ${randomUUID()}` });
      expect(taken.status).toBe(403);
      expect(free.status).toBe(403);
      expect(taken.body).toEqual(free.body);
      const own = await t.api(attackerKey).get(`/api/v1/manufacturers/${attacker.id}`).expect(200);
      expect(own.body).toMatchObject({ name: attacker.name, aliases: [] });
    });

    it("refuses admin and biomed a name or alias equal after normalisation to another manufacturer's name or alias", async () => {
      const { attacker, victim } = await scene();
      const lookalike = `${victim.name.toUpperCase().replace(' ', '-')}.`;
      const rename = await t.api(biomedKey).patch(`/api/v1/manufacturers/${attacker.id}`).send({ name: lookalike });
      expect(rename.status).toBe(409);
      expect(rename.body.message).toMatch(/^name: /);
      const alias = await t
        .api()
        .patch(`/api/v1/manufacturers/${attacker.id}`)
        .send({ aliases: [lookalike] });
      expect(alias.status).toBe(409);
      expect(alias.body.message).toMatch(/^aliases: /);
      const created = await t
        .api()
        .post('/api/v1/manufacturers')
        .send({ name: `New ${randomUUID()}`, aliases: [victim.name.toLowerCase()] });
      expect(created.status).toBe(409);
      // Its own name among its aliases, in another spelling, is no conflict.
      await t
        .api(biomedKey)
        .patch(`/api/v1/manufacturers/${victim.id}`)
        .send({ aliases: [lookalike] })
        .expect(200);
    });

    it("maps a vendor's products only to that vendor's models, whatever aliases another manufacturer gives its own models", async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      await t
        .api(attackerKey)
        .patch(`/api/v1/models/${attacker.modelId}`)
        .send({ aliases: [victim.modelName] })
        .expect(200);
      const imported = await importCsaf(buildCsaf({ trackingId: trackingId(), version: 1, products: [product(victim)] }), itKey).expect(201);
      expect(imported.body.affected.map((a: { modelId: string }) => a.modelId)).toEqual([victim.modelId]);
      expect(await openFindings(t, victimDevice.id)).toHaveLength(1);
    });
  });

  describe('2. an advisory is its publisher plus its tracking id, and a manufacturer owns only its own', () => {
    it("keeps a squat at a higher revision from shadowing IT's import of the real document", async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      const id = trackingId();
      const squat = await importCsaf(buildCsaf({ trackingId: id, version: 20, title: 'squat', products: [product(attacker)] }), attackerKey).expect(201);
      expect(squat.body.status).toBe('created');

      const real = await importCsaf(buildCsaf({ trackingId: id, version: 2, title: 'real', products: [product(victim)] }), itKey).expect(201);
      expect(real.body.status).toBe('created');
      expect(real.body.advisoryId).not.toBe(squat.body.advisoryId);
      const details = await t.api().get(`/api/v1/advisories/${real.body.advisoryId}`).expect(200);
      expect(details.body).toMatchObject({ manufacturerId: victim.id, title: 'real', sourceRevision: '2', publisherNamespace: 'https://www.cisa.gov' });
      expect(await openFindings(t, victimDevice.id)).toEqual([expect.objectContaining({ advisoryId: real.body.advisoryId })]);

      // Revisions are ordered per identity: IT's older revision is older than IT's, not than the squat.
      const older = await importCsaf(buildCsaf({ trackingId: id, version: 1, title: 'real', products: [product(victim)] }), itKey).expect(200);
      expect(older.body).toMatchObject({ status: 'ignored_older', advisoryId: real.body.advisoryId });
      // And the squatter's next revision revises only its own document.
      const again = await importCsaf(buildCsaf({ trackingId: id, version: 21, title: 'squat again', products: [product(attacker)] }), attackerKey).expect(200);
      expect(again.body).toMatchObject({ status: 'updated', advisoryId: squat.body.advisoryId });
      const still = await t.api().get(`/api/v1/advisories/${real.body.advisoryId}`).expect(200);
      expect(still.body).toMatchObject({ manufacturerId: victim.id, title: 'real', sourceRevision: '2' });
    });

    it("keeps a squat at revision 1 from owning IT's real revision 2", async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      const id = trackingId();
      const squat = await importCsaf(buildCsaf({ trackingId: id, version: 1, title: 'squat', products: [product(attacker)] }), attackerKey).expect(201);
      const real = await importCsaf(buildCsaf({ trackingId: id, version: 2, title: 'real', products: [product(victim)] }), itKey).expect(201);
      expect(real.body.status).toBe('created');
      expect(real.body.unmappedProducts).toEqual([]);
      const details = await t.api().get(`/api/v1/advisories/${real.body.advisoryId}`).expect(200);
      expect(details.body.manufacturerId).toBe(victim.id);
      expect(await openFindings(t, victimDevice.id)).toEqual([expect.objectContaining({ advisoryId: real.body.advisoryId })]);
      const squatted = await t.api(attackerKey).get(`/api/v1/advisories/${squat.body.advisoryId}`).expect(200);
      expect(squatted.body).toMatchObject({ manufacturerId: attacker.id, title: 'squat', sourceRevision: '1' });
      await t.api(attackerKey).get(`/api/v1/advisories/${real.body.advisoryId}`).expect(404);
    });

    it('keeps a squat under a forged publisher namespace apart from the real publisher too', async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      const id = trackingId();
      const forged = { trackingId: id, publisherNamespace: 'https://www.cisa.gov/', publisherName: 'CISA' };
      await importCsaf(buildCsaf({ ...forged, version: 9, products: [product(attacker)] }), attackerKey).expect(201);
      const real = await importCsaf(buildCsaf({ ...forged, version: 1, products: [product(victim)] }), itKey).expect(201);
      expect(real.body.status).toBe('created');
      expect(await openFindings(t, victimDevice.id)).toEqual([expect.objectContaining({ advisoryId: real.body.advisoryId })]);
    });

    it('makes two advisories of one tracking id from two publishers', async () => {
      const { victim } = await scene();
      const id = trackingId();
      const cisa = await importCsaf(buildCsaf({ trackingId: id, version: 3, products: [product(victim)] }), itKey).expect(201);
      const vendorOwn = await importCsaf(
        buildCsaf({ trackingId: id, version: 1, publisherNamespace: 'https://psirt.vendor-two.example', products: [product(victim)] }),
        itKey,
      ).expect(201);
      expect(vendorOwn.body.status).toBe('created');
      expect(vendorOwn.body.advisoryId).not.toBe(cisa.body.advisoryId);
    });

    it("refuses with 403 a manufacturer's document naming another manufacturer's product beside its own", async () => {
      const { attacker, victim, attackerKey, victimDevice } = await scene();
      const mixed = await importCsaf(buildCsaf({ trackingId: trackingId(), version: 1, products: [product(attacker), product(victim, '>=0')] }), attackerKey);
      expect(mixed.status).toBe(403);
      // An unknown vendor gets the very same answer: the refusal tells nothing about the catalog.
      const unknown = await importCsaf(
        buildCsaf({ trackingId: trackingId(), version: 1, products: [product(attacker), { vendor: `Nobody ${randomUUID()}`, product: 'X', versions: '<1' }] }),
        attackerKey,
      );
      expect(unknown.status).toBe(403);
      expect(unknown.body).toEqual(mixed.body);
      const list = await t.api(attackerKey).get('/api/v1/advisories').expect(200);
      expect(list.body).toEqual([]);
      expect(await openFindings(t, victimDevice.id)).toEqual([]);
    });

    it("lets a manufacturer revise or withdraw only what it published, not the hospital's import about its products", async () => {
      const { attacker, attackerKey } = await scene();
      const device = await createDevice(t, attacker.modelId, { firmwareVersion: '1.0' });
      const hospitals = await importCsaf(buildCsaf({ trackingId: trackingId(), version: 1, products: [product(attacker)] }), itKey).expect(201);
      expect(await openFindings(t, device.id)).toHaveLength(1);
      await t.api(attackerKey).post(`/api/v1/advisories/${hospitals.body.advisoryId}/withdraw`).expect(403);
      await t
        .api(attackerKey)
        .patch(`/api/v1/advisories/${hospitals.body.advisoryId}`)
        .send({ affected: [{ modelId: attacker.modelId, versions: '<0.1' }] })
        .expect(403);
      expect(await openFindings(t, device.id)).toHaveLength(1);
      const own = await createAdvisory(t, { manufacturerId: attacker.id, affected: [{ modelId: attacker.modelId, versions: '<2.0' }] }, attackerKey);
      await t.api(attackerKey).post(`/api/v1/advisories/${own.id}/withdraw`).expect(200);
    });
  });

  describe('3. a manufacturer learns nothing about the hospital devices', () => {
    it('shows a manufacturer its own advisory without device counts', async () => {
      const { attacker, attackerKey } = await scene();
      await createDevice(t, attacker.modelId, { firmwareVersion: '1.0' });
      await createDevice(t, attacker.modelId);
      const own = await createAdvisory(t, { manufacturerId: attacker.id, affected: [{ modelId: attacker.modelId, versions: '<2.0' }] }, attackerKey);
      const seen = await t.api(attackerKey).get(`/api/v1/advisories/${own.id}`).expect(200);
      expect(seen.body).not.toHaveProperty('affectedDevices');
      expect(seen.body).not.toHaveProperty('exposureUnknownDevices');
      const hospital = await t.api(itKey).get(`/api/v1/advisories/${own.id}`).expect(200);
      expect(hospital.body).toMatchObject({ affectedDevices: 1, exposureUnknownDevices: 1 });
    });

    it("answers a manufacturer's CSAF import without findings counts", async () => {
      const { attacker, attackerKey } = await scene();
      await createDevice(t, attacker.modelId, { firmwareVersion: '1.0' });
      const res = await importCsaf(buildCsaf({ trackingId: trackingId(), version: 1, products: [product(attacker)] }), attackerKey).expect(201);
      expect(res.body.status).toBe('created');
      expect(res.body).not.toHaveProperty('findings');
      const again = await importCsaf(buildCsaf({ trackingId: res.body.trackingId, version: 1, products: [product(attacker)] }), attackerKey).expect(200);
      expect(again.body.status).toBe('unchanged');
      expect(again.body).not.toHaveProperty('findings');
    });

    it('never names another vendor, known or not, in the unmapped products a manufacturer sees', async () => {
      const { attacker, victim, attackerKey } = await scene();
      const stranger = `Nobody ${randomUUID()}`;
      const doc = buildCsaf({
        trackingId: trackingId(),
        version: 1,
        products: [
          product(attacker),
          { vendor: attacker.name, product: 'Not in the catalog', versions: '<2.0' },
          product(victim),
          { vendor: stranger, product: 'X', versions: '<1' },
        ],
      });
      const imported = await importCsaf(doc, itKey).expect(201);
      expect(imported.body.unmappedProducts.map((u: { reason: string }) => u.reason).sort()).toEqual(['product_unknown', 'vendor_mismatch', 'vendor_unknown']);
      const details = await t.api(attackerKey).get(`/api/v1/advisories/${imported.body.advisoryId}`).expect(200);
      expect(details.body.unmappedProducts).toEqual([expect.objectContaining({ productName: 'Not in the catalog', reason: 'product_unknown' })]);
      const listed = await t.api(attackerKey).get('/api/v1/advisories/unmapped-products').expect(200);
      expect(listed.body).toEqual({
        items: [expect.objectContaining({ productName: 'Not in the catalog', reason: 'product_unknown' })],
        total: 1,
        nextCursor: null,
      });
    });

    it("answers firmware releases and advisories on another vendor's model exactly as on no model", async () => {
      const { attacker, victim, attackerKey } = await scene();
      const nobody = randomUUID();
      const theirs = await t.api(attackerKey).post(`/api/v1/models/${victim.modelId}/firmware-releases`).send({ version: '9.9' });
      const none = await t.api(attackerKey).post(`/api/v1/models/${nobody}/firmware-releases`).send({ version: '9.9' });
      expect(theirs.status).toBe(404);
      expect(theirs.body.message.replace(victim.modelId, '<id>')).toBe(none.body.message.replace(nobody, '<id>'));

      const advise = (modelId: string) =>
        t
          .api(attackerKey)
          .post('/api/v1/advisories')
          .send({ manufacturerId: attacker.id, title: 'probe', affected: [{ modelId, versions: '*' }] });
      const theirAdvisory = await advise(victim.modelId);
      const noAdvisory = await advise(nobody);
      expect(theirAdvisory.status).toBe(noAdvisory.status);
      expect(theirAdvisory.body.message.replace(victim.modelId, '<id>')).toBe(noAdvisory.body.message.replace(nobody, '<id>'));
    });

    it("reaches exactly the routes README's role table gives it, every other one a 403 for its role", async () => {
      const { attackerKey } = await scene();
      const doc = await t.http().get('/docs-json').expect(200);
      const reachable: string[] = [];
      for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.body.paths)) {
        for (const method of Object.keys(ops)) {
          const res = await t.api(attackerKey)[method as 'get'](path.replace(/\{[^}]+\}/g, randomUUID()));
          const refusedForRole = res.status === 403 && res.body.message === `Role manufacturer may not ${method.toUpperCase()} this resource`;
          if (!refusedForRole) reachable.push(`${method.toUpperCase()} ${path.replace('/api/v1', '')}`);
        }
      }
      expect(reachable.sort()).toEqual(
        [
          'GET /health',
          'POST /auth/login',
          'POST /auth/mfa/enroll',
          'POST /auth/mfa/enroll/confirm',
          'POST /auth/mfa/verify',
          'GET /auth/me',
          'POST /auth/logout',
          // The console's sign-in for people, open to anyone like POST /auth/login (docs/console.md).
          'POST /console/session',
          'POST /console/session/enrolment',
          'DELETE /console/session',
          'GET /manufacturers',
          'GET /manufacturers/{id}',
          'POST /models',
          'GET /models',
          'GET /models/{id}',
          'PATCH /models/{id}',
          'POST /models/{id}/firmware-releases',
          'GET /models/{id}/firmware-releases',
          'POST /advisories',
          'GET /advisories',
          'POST /advisories/csaf',
          'GET /advisories/unmapped-products',
          'GET /advisories/{id}',
          'PATCH /advisories/{id}',
          'POST /advisories/{id}/withdraw',
          'GET /advisories/{id}/revisions',
          // Work orders on its own models, reduced, and only to answer the validation request (docs/work-orders.md).
          'GET /work-orders',
          'GET /work-orders/{id}',
          'PATCH /work-orders/{id}',
        ].sort(),
      );
    });

    it("lets a manufacturer register its model under a GTIN another vendor's model has, rather than say the hospital has it", async () => {
      const gtin = '00844588003288';
      const victim = await vendor('Vendor Two', { gtin });
      const attacker = await vendor('Vendor One');
      const attackerKey = await createKey(t, 'manufacturer', attacker.id);
      const res = await t
        .api(attackerKey)
        .post('/api/v1/models')
        .send({ manufacturerId: attacker.id, modelNumber: 'G-1', name: 'GTIN probe', category: 'other', gtin });
      expect(res.status).toBe(201);
      // Within one manufacturer a GTIN still names one model.
      const twice = await t.api().post('/api/v1/models').send({ manufacturerId: victim.id, modelNumber: 'G-2', name: 'Again', category: 'other', gtin });
      expect(twice.status).toBe(409);
    });
  });
});
