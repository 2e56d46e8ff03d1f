import { randomBytes } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../src/prioritisation/prioritisation.events';
import { openFindings } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/**
 * VEX in CSAF documents (docs/vex-and-acceptance.md): built from CISA's ICSMA-21-007-01 (one
 * product, VC150 < 1.7.15, two CVEs) with only its product_status changed, under a vendor name
 * of each test's own so that tests do not meet.
 */
describe('CSAF product status beyond known_affected (VEX)', () => {
  let t: TestApp;
  let itKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A vendor with model VC150 and one device on 1.7.0, inside the advisory's "< 1.7.15". */
  async function scene() {
    const vendor = `Innokas ${randomBytes(3).toString('hex')}`;
    const manufacturer = await createManufacturer(t, { name: vendor });
    const model = await createModel(t, manufacturer.id, { name: 'VC150' });
    const device = await createDevice(t, model.id, { firmwareVersion: '1.7.0' });
    return { vendor, manufacturer, model, device };
  }

  type Status = 'known_affected' | 'known_not_affected' | 'under_investigation';

  /** The real document under `vendor`, every vulnerability giving VC150 `status`; revision `version`. */
  function document(vendor: string, trackingId: string, status: Status, version = 1, extra: (v: Record<string, unknown>) => void = () => undefined) {
    const doc = csafFixture('icsma-21-007-01');
    doc.document.tracking.id = trackingId;
    doc.product_tree.branches[0].name = vendor;
    for (const v of doc.vulnerabilities) {
      v.product_status = { [status]: ['CSAFPID-0001'] };
      if (status !== 'known_affected') delete v.remediations;
      extra(v);
    }
    for (let n = 2; n <= version; n++) {
      doc.document.tracking.revision_history.push({ date: `2021-02-0${n}T00:00:00.000Z`, number: String(n), summary: `Revision ${n}` });
      doc.document.tracking.current_release_date = `2021-02-0${n}T00:00:00.000Z`;
    }
    doc.document.tracking.version = String(version);
    return doc;
  }
  /** The status, or a failure that shows the answer. */
  const answers = (status: number) => (res: { status: number; body: unknown }) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  };
  const trackingId = () => `ICSMA-21-007-${randomBytes(3).toString('hex')}`;
  const importCsaf = (doc: object, key = itKey) => t.api(key).post('/api/v1/advisories/csaf').send(doc);
  const exposureUnknown = async (deviceId: string) =>
    (
      (await t.api().get('/api/v1/reports/exposure-unknown').expect(answers(200))).body as Array<{
        deviceId: string;
        reason: string;
        advisoryId: string;
        affectedVersions: string;
      }>
    ).filter((r) => r.deviceId === deviceId);

  it("opens no finding for a product known_not_affected, and the advisory says why in the document's words", async () => {
    const { vendor, model, device } = await scene();
    const doc = document(vendor, trackingId(), 'known_not_affected', 1, (v) => {
      v.flags = [{ label: 'vulnerable_code_not_present', product_ids: ['CSAFPID-0001'] }];
      v.threats = [{ category: 'impact', details: 'The vulnerable service is not built into VC150.', product_ids: ['CSAFPID-0001'] }];
    });
    const imported = await importCsaf(doc).expect(answers(201));
    expect(imported.body.findings).toEqual({ opened: 0, resolved: 0, exposureUnknown: 0 });
    expect(await openFindings(t, device.id)).toEqual([]);
    expect(await exposureUnknown(device.id)).toEqual([]);

    const details = await t.api().get(`/api/v1/advisories/${imported.body.advisoryId}`).expect(answers(200));
    expect(details.body.affected).toEqual([]);
    expect(details.body.productStatements).toEqual([
      {
        modelId: model.id,
        versions: '< 1.7.15',
        status: 'known_not_affected',
        productRef: 'CSAFPID-0001',
        reasons: ['CVE-2020-27262', 'CVE-2020-27260'].map((cve) => ({
          cve,
          flags: ['vulnerable_code_not_present'],
          impacts: ['The vulnerable service is not built into VC150.'],
        })),
      },
    ]);
    expect(details.body.affectedDevices).toBe(0);
  });

  it('resolves the open finding when a revision says the product is not affected after all', async () => {
    const { vendor, device } = await scene();
    const id = trackingId();
    const first = await importCsaf(document(vendor, id, 'known_affected')).expect(answers(201));
    expect(await openFindings(t, device.id)).toEqual([expect.objectContaining({ advisoryId: first.body.advisoryId })]);
    const revised = await importCsaf(document(vendor, id, 'known_not_affected', 2)).expect(answers(200));
    expect(revised.body.findings).toEqual({ opened: 0, resolved: 1, exposureUnknown: 0 });
    expect(await openFindings(t, device.id)).toEqual([]);
  });

  it('lists a device of a model under_investigation on exposure-unknown with that reason, and opens its finding when a revision says known_affected', async () => {
    const { vendor, device } = await scene();
    const id = trackingId();
    const imported = await importCsaf(document(vendor, id, 'under_investigation')).expect(answers(201));
    expect(imported.body.findings).toEqual({ opened: 0, resolved: 0, exposureUnknown: 1 });
    expect(await openFindings(t, device.id)).toEqual([]);
    expect(await exposureUnknown(device.id)).toEqual([
      expect.objectContaining({ advisoryId: imported.body.advisoryId, reason: 'under_investigation', affectedVersions: '< 1.7.15' }),
    ]);
    const filtered = await t.api().get('/api/v1/reports/exposure-unknown?reason=under_investigation').expect(answers(200));
    expect(filtered.body.map((r: { deviceId: string }) => r.deviceId)).toContain(device.id);
    const details = await t.api().get(`/api/v1/advisories/${imported.body.advisoryId}`).expect(answers(200));
    expect(details.body.productStatements).toEqual([expect.objectContaining({ status: 'under_investigation', reasons: [] })]);

    const revised = await importCsaf(document(vendor, id, 'known_affected', 2)).expect(answers(200));
    expect(revised.body.findings).toEqual({ opened: 1, resolved: 0, exposureUnknown: 0 });
    expect(await openFindings(t, device.id)).toEqual([expect.objectContaining({ advisoryId: imported.body.advisoryId, fixedVersion: '1.7.15b' })]);
    expect(await exposureUnknown(device.id)).toEqual([]);
  });

  it('puts a device on exposure-unknown when its firmware moves into a range the manufacturer has under investigation, for a model no advisory calls affected', async () => {
    const { vendor, model } = await scene();
    const fixed = await createDevice(t, model.id, { firmwareVersion: '1.8.0' });
    const imported = await importCsaf(document(vendor, trackingId(), 'under_investigation')).expect(answers(201));
    expect(await exposureUnknown(fixed.id)).toEqual([]);

    // A person rolls the device back into the range: a device change, queued only because a statement names its model.
    await t.api().patch(`/api/v1/devices/${fixed.id}`).send({ firmwareVersion: '1.7.2' }).expect(answers(200));
    const { value } = await eventually(async () => {
      const rows = await exposureUnknown(fixed.id);
      if (!rows.length) throw new Error('not on exposure-unknown yet');
      return rows;
    }, 5000);
    expect(value).toEqual([expect.objectContaining({ advisoryId: imported.body.advisoryId, reason: 'under_investigation' })]);
  });

  it('refuses an unknown exposure-unknown reason, naming the field', async () => {
    const res = await t.api().get('/api/v1/reports/exposure-unknown?reason=maybe').expect(400);
    expect(res.body.message).toMatch(/^reason/);
  });

  describe("a manufacturer cannot use VEX to hide another vendor's products", () => {
    it("refuses a manufacturer's document that calls another vendor's product not affected; the victim's finding stays", async () => {
      const victim = await scene();
      const attacker = await createManufacturer(t, { name: `Attacker ${randomBytes(3).toString('hex')}` });
      const attackerKey = await createKey(t, 'manufacturer', attacker.id);
      const cisa = await importCsaf(document(victim.vendor, trackingId(), 'known_affected')).expect(answers(201));

      const forged = await importCsaf(document(victim.vendor, cisa.body.trackingId, 'known_not_affected', 2), attackerKey);
      expect(forged.status).toBe(403);
      expect(forged.body.message).toMatch(
        /^document: a manufacturer key may import only documents whose every product sits under a vendor branch named as this manufacturer/,
      );
      expect(await openFindings(t, victim.device.id)).toEqual([expect.objectContaining({ advisoryId: cisa.body.advisoryId })]);
    });

    it("maps a manufacturer's own statement only to its own models, even for a product named like another vendor's model", async () => {
      const victim = await scene();
      const attacker = await createManufacturer(t, { name: `Attacker ${randomBytes(3).toString('hex')}` });
      const attackerKey = await createKey(t, 'manufacturer', attacker.id);
      const cisa = await importCsaf(document(victim.vendor, trackingId(), 'known_affected')).expect(answers(201));

      const own = await importCsaf(document(attacker.name, trackingId(), 'known_not_affected'), attackerKey).expect(answers(201));
      expect(own.body.affected).toEqual([]);
      const details = await t.api(attackerKey).get(`/api/v1/advisories/${own.body.advisoryId}`).expect(answers(200));
      expect(details.body.productStatements).toEqual([]);
      expect(await openFindings(t, victim.device.id)).toEqual([expect.objectContaining({ advisoryId: cisa.body.advisoryId })]);
    });
  });

  it("reads exploitation from the document: none for CISA's sentence, active for an exploit_status threat, and shows the words", async () => {
    const { vendor } = await scene();
    const cisa = await importCsaf(document(vendor, trackingId(), 'known_affected')).expect(answers(201));
    const plain = await t.api().get(`/api/v1/advisories/${cisa.body.advisoryId}`).expect(answers(200));
    expect(plain.body.exploitation).toBe('none');
    expect(plain.body.exploitationStatements).toEqual([
      { source: 'note', cve: null, text: 'No known public exploits specifically target these vulnerabilities.', reads: 'none' },
    ]);

    const id = trackingId();
    await importCsaf(document(vendor, id, 'known_affected')).expect(answers(201));
    const announced: PriorityInputsChangedEvent[] = [];
    const events = t.app.get(EventEmitter2);
    const listener = (e: PriorityInputsChangedEvent) => announced.push(e);
    events.on(PRIORITY_INPUTS_CHANGED, listener);
    const revised = await importCsaf(
      document(vendor, id, 'known_affected', 2, (v) => {
        if (v.cve === 'CVE-2020-27260') v.threats = [{ category: 'exploit_status', details: 'Exploitation Detected', product_ids: ['CSAFPID-0001'] }];
      }),
    ).expect(answers(200));
    events.off(PRIORITY_INPUTS_CHANGED, listener);
    expect(announced).toEqual([{ scope: 'advisories', advisoryIds: [revised.body.advisoryId] }]);
    const details = await t.api().get(`/api/v1/advisories/${revised.body.advisoryId}`).expect(answers(200));
    expect(details.body.exploitation).toBe('active');
    expect(details.body.exploitationStatements).toEqual([{ source: 'threat', cve: 'CVE-2020-27260', text: 'Exploitation Detected', reads: 'active' }]);
  });
});
