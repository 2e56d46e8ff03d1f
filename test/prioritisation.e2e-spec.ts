import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { DataSource } from 'typeorm';
import { UndecidedFindings } from '../src/prioritisation/undecided-findings.service';
import { startTestApp, TestApp } from './support/test-app';

// CISA's catalog as published (test/fixtures/kev): CVE-2019-0708 is in it, with known ransomware use.
const KEV_TEXT = readFileSync(resolve(__dirname, 'fixtures', 'kev', 'known_exploited_vulnerabilities-2025.08.25.json'), 'utf8');

const BLUEKEEP = 'CVE-2019-0708';
const BLUEKEEP_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const LOCAL_ADMIN_VECTOR = 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H';
const DAY_MS = 86_400_000;

interface Priority {
  decision: string;
  dueAt: string | null;
  assumed: string[];
  [k: string]: unknown;
}

/**
 * SSVC decisions end to end: a KEV-listed, wormable CVE on a life-sustaining device on an open
 * network is patched now; a local, admin-only CVE nobody exploits on a harmless device in a small
 * exposure waits; an analyst, a device's exposure and the policy each move the decision or its due date.
 */
describe('Prioritisation: SSVC decisions on open findings', () => {
  let t: TestApp;
  let itKey: string;
  let biomedKey: string;
  let manufacturerKey: string;
  let manufacturerId: string;
  const lowCve = `CVE-2026-${Math.floor(10000 + Math.random() * 89999)}`;
  let pumpId: string;
  let printerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
    biomedKey = await createKey(t, 'biomed');
    manufacturerId = (await createManufacturer(t)).id;
    manufacturerKey = await createKey(t, 'manufacturer', manufacturerId);
    // Before the advisory: its findings are decided with KEV in the transaction that opens them.
    await t.api(itKey).post('/api/v1/threat-intel/kev').set('Content-Type', 'application/json').send(KEV_TEXT).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function priorityOf(deviceId: string): Promise<Priority> {
    const res = await t.api(itKey).get(`/api/v1/devices/${deviceId}/findings`).expect(200);
    const open = res.body.filter((f: { status: string }) => f.status === 'open');
    expect(open).toHaveLength(1);
    return open[0].priority;
  }

  it('decides a KEV-listed network CVE on a life-sustaining device on an open network: immediate, with its inputs', async () => {
    const model = await createModel(t, manufacturerId, { name: `Ventilator ${randomUUID().slice(0, 6)}`, safetyImpact: 'catastrophic' });
    pumpId = (await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'open' })).id;
    await createAdvisory(t, {
      manufacturerId,
      cves: [BLUEKEEP],
      cvssScore: 9.8,
      cvssVector: BLUEKEEP_VECTOR,
      affected: [{ modelId: model.id, versions: '<2.0', fixedVersion: '2.0' }],
    });

    const priority = await priorityOf(pumpId);
    expect(priority).toEqual({
      decision: 'immediate',
      exploitation: 'active',
      automatable: 'yes',
      systemExposure: 'open',
      safetyImpact: 'catastrophic',
      missionImpact: 'mission_failure',
      humanImpact: 'very_high',
      inKev: true,
      knownRansomware: true,
      epss: null,
      epssPercentile: null,
      vector: 'SSVCv2/A:Y/E:A/EXP:O/HI:VH/MI:MF/SI:C/',
      dueAt: expect.any(String),
      // Nobody set the mission impact: assumed; catastrophic safety makes human impact very high whatever it is.
      assumed: ['missionImpact'],
    });
    const findings = await t.api(itKey).get(`/api/v1/findings?deviceId=${pumpId}`).expect(200);
    expect(findings.body.items[0].priority).toEqual(priority);

    const report = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?decision=immediate&inKev=true&manufacturerId=${manufacturerId}`).expect(200);
    expect(report.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([pumpId]);
    expect(report.body.items[0]).toMatchObject({ decision: 'immediate', inKev: true, dueAt: priority.dueAt, advisories: [{ priority }] });
    const summary = await t.api(itKey).get('/api/v1/reports/summary').expect(200);
    expect(summary.body.byDecision.immediate).toBeGreaterThanOrEqual(1);
    expect(summary.body.totals.kevExposedDevices).toBeGreaterThanOrEqual(1);

    const intel = await t.api(itKey).get(`/api/v1/vulnerabilities/${BLUEKEEP}`).expect(200);
    expect(intel.body).toMatchObject({ cve: BLUEKEEP, assessment: null, kev: { knownRansomware: true, dateAdded: '2021-11-03' }, epss: null });
  });

  it('decides a local, high-privilege CVE nobody exploits on a negligible device in a small exposure: defer, with no due date', async () => {
    const model = await createModel(t, manufacturerId, { name: `Label printer ${randomUUID().slice(0, 6)}` });
    printerId = (await createDevice(t, model.id, { firmwareVersion: '3.1', systemExposure: 'small', missionImpact: 'degraded', safetyImpact: 'negligible' }))
      .id;
    await createAdvisory(t, {
      manufacturerId,
      cves: [lowCve],
      cvssScore: 6.7,
      cvssVector: LOCAL_ADMIN_VECTOR,
      affected: [{ modelId: model.id, versions: '<4.0', fixedVersion: '4.0' }],
    });

    expect(await priorityOf(printerId)).toEqual({
      decision: 'defer',
      exploitation: 'none',
      automatable: 'no',
      systemExposure: 'small',
      safetyImpact: 'negligible',
      missionImpact: 'degraded',
      humanImpact: 'low',
      inKev: false,
      knownRansomware: false,
      epss: null,
      epssPercentile: null,
      vector: 'SSVCv2/A:N/E:N/EXP:S/HI:L/MI:D/SI:N/',
      dueAt: null,
      // Neither KEV, an analyst nor the advisory said anything of exploitation.
      assumed: ['exploitation'],
    });
    const report = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?decision=defer&manufacturerId=${manufacturerId}`).expect(200);
    expect(report.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([printerId]);
    // Immediate before defer: the report's first sort key is the decision.
    const all = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).expect(200);
    expect(all.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([pumpId, printerId]);
  });

  it('decides open findings that have no decision, as an upgraded database has them (written before prioritisation)', async () => {
    const before = await priorityOf(pumpId);
    const db = t.app.get(DataSource);
    await db.query(`UPDATE findings SET device_class = NULL, class_since = NULL, carried_since = NULL WHERE device_id = $1`, [pumpId]);
    expect(await priorityOf(pumpId)).toBeNull();

    expect(await t.app.get(UndecidedFindings).pass()).toBeGreaterThanOrEqual(1);
    expect(await priorityOf(pumpId)).toEqual({ ...before, dueAt: expect.any(String) });
  });

  it('raises an open finding to immediate when a new KEV catalog lists its CVE, with nothing else changed', async () => {
    const cve = `CVE-2026-${Math.floor(10000 + Math.random() * 89999)}`;
    const model = await createModel(t, manufacturerId, { name: `Infusion pump ${randomUUID().slice(0, 6)}`, safetyImpact: 'catastrophic' });
    const deviceId = (await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'open' })).id;
    await createAdvisory(t, { manufacturerId, cves: [cve], cvssScore: 9.8, cvssVector: BLUEKEEP_VECTOR, affected: [{ modelId: model.id, versions: '<2.0' }] });
    // SSVC deployer row 23: none, open, yes, very high.
    expect(await priorityOf(deviceId)).toMatchObject({ decision: 'out_of_cycle', exploitation: 'none', inKev: false });

    const catalog = JSON.parse(KEV_TEXT) as { catalogVersion: string; count: number; vulnerabilities: Array<Record<string, unknown>> };
    const listed = { ...catalog.vulnerabilities[0], cveID: cve, knownRansomwareCampaignUse: 'Unknown' };
    const next = { ...catalog, catalogVersion: '2025.08.26', count: catalog.count + 1, vulnerabilities: [listed, ...catalog.vulnerabilities] };
    const res = await t.api(itKey).post('/api/v1/threat-intel/kev').set('Content-Type', 'application/json').send(JSON.stringify(next)).expect(200);
    expect(res.body).toMatchObject({ unchanged: false, changedCves: 1 });

    expect(await priorityOf(deviceId)).toMatchObject({ decision: 'immediate', exploitation: 'active', inKev: true, knownRansomware: false });
    const report = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?inKev=true&manufacturerId=${manufacturerId}`).expect(200);
    expect(report.body.items.map((i: { deviceId: string }) => i.deviceId)).toContain(deviceId);
  });

  it("raises the decision when an analyst says the CVE is actively exploited, and audits the analyst's values", async () => {
    const res = await t
      .api(itKey)
      .patch(`/api/v1/vulnerabilities/${lowCve.toLowerCase()}`)
      .send({ exploitation: 'active', note: 'Exploited against label printers, SOC ticket 4711' })
      .expect(200);
    expect(res.body).toMatchObject({
      cve: lowCve,
      assessment: { exploitation: 'active', automatable: null, note: 'Exploited against label printers, SOC ticket 4711' },
    });

    const raised = await priorityOf(printerId);
    expect(raised).toMatchObject({ decision: 'scheduled', exploitation: 'active', automatable: 'no', assumed: [] });
    expect(raised.vector).toBe('SSVCv2/A:N/E:A/EXP:S/HI:L/MI:D/SI:N/');
    expect(Date.parse(raised.dueAt!) - Date.now()).toBeGreaterThan(89 * DAY_MS);

    const audit = await t.api().get(`/api/v1/audit?entityType=vulnerability_assessment`).expect(200);
    const entries = (audit.body.items ?? audit.body) as Array<{ entityId: string; changes: Record<string, unknown> }>;
    expect(entries.find((e) => e.entityId === lowCve)?.changes).toMatchObject({ exploitation: { from: null, to: 'active' } });

    // null clears the analyst's value: back to nobody saying.
    await t.api(itKey).patch(`/api/v1/vulnerabilities/${lowCve}`).send({ exploitation: null, note: 'Ticket closed: not our printers' }).expect(200);
    expect(await priorityOf(printerId)).toMatchObject({ decision: 'defer', exploitation: 'none', assumed: ['exploitation'] });
  });

  it("recomputes when a device's exposure changes, and counts the due date from the new decision", async () => {
    const before = await priorityOf(pumpId);
    const res = await t.api(biomedKey).patch(`/api/v1/devices/${pumpId}`).send({ systemExposure: 'small' }).expect(200);
    expect(res.body.systemExposure).toBe('small');
    const after = await priorityOf(pumpId);
    expect(after).toMatchObject({ decision: 'out_of_cycle', systemExposure: 'small', vector: 'SSVCv2/A:Y/E:A/EXP:S/HI:VH/MI:MF/SI:C/' });
    // Out of cycle allows 14 days from now; immediate allowed 2 days from the first decision.
    expect(Date.parse(after.dueAt!) - Date.now()).toBeGreaterThan(13 * DAY_MS);
    expect(Date.parse(after.dueAt!)).toBeGreaterThan(Date.parse(before.dueAt!));
  });

  it('moves due dates when the remediation policy changes', async () => {
    const before = await priorityOf(pumpId);
    const policy = await t.api(itKey).get('/api/v1/remediation-policy').expect(200);
    expect(policy.body.due).toEqual({ immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null });

    const put = await t
      .api(itKey)
      .put('/api/v1/remediation-policy')
      .send({ due: { immediate: 'P1D', out_of_cycle: 'P7D', scheduled: 'P30D', defer: 'P1Y' } })
      .expect(200);
    expect(put.body.due).toEqual({ immediate: 'P1D', out_of_cycle: 'P7D', scheduled: 'P30D', defer: 'P1Y' });

    const after = await priorityOf(pumpId);
    expect(after.decision).toBe('out_of_cycle');
    expect(Date.parse(before.dueAt!) - Date.parse(after.dueAt!)).toBe(7 * DAY_MS);
    // A deferred finding now has a due date too.
    expect((await priorityOf(printerId)).dueAt).not.toBeNull();
    const audit = await t.api().get(`/api/v1/audit?entityType=remediation_policy`).expect(200);
    expect(JSON.stringify(audit.body)).toContain('"due.out_of_cycle"');
  });

  it("keeps a model's safety impact unless the device overrides it", async () => {
    const model = await createModel(t, manufacturerId, { name: `Monitor ${randomUUID().slice(0, 6)}` });
    const device = await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'open', missionImpact: 'degraded' });
    await createAdvisory(t, { manufacturerId, cves: [BLUEKEEP], cvssVector: BLUEKEEP_VECTOR, affected: [{ modelId: model.id, versions: '<2.0' }] });
    expect(await priorityOf(device.id)).toMatchObject({ safetyImpact: 'catastrophic', assumed: ['safetyImpact'] });

    const patched = await t.api(biomedKey).patch(`/api/v1/models/${model.id}`).send({ safetyImpact: 'marginal' }).expect(200);
    expect(patched.body.safetyImpact).toBe('marginal');
    // active, open, yes, low (marginal + degraded): row 68 of the table, out of cycle.
    expect(await priorityOf(device.id)).toMatchObject({ decision: 'out_of_cycle', safetyImpact: 'marginal', humanImpact: 'low', assumed: [] });
    await t.api(biomedKey).patch(`/api/v1/devices/${device.id}`).send({ safetyImpact: 'catastrophic' }).expect(200);
    expect(await priorityOf(device.id)).toMatchObject({ decision: 'immediate', safetyImpact: 'catastrophic', humanImpact: 'very_high' });
    // null gives the model's value back.
    const cleared = await t.api(biomedKey).patch(`/api/v1/devices/${device.id}`).send({ safetyImpact: null }).expect(200);
    expect(cleared.body.safetyImpact).toBeNull();
    expect(await priorityOf(device.id)).toMatchObject({ decision: 'out_of_cycle', safetyImpact: 'marginal' });
  });

  it("keeps a finding's due date when its device's class changes and its decision stays, and counts it from the change when the decision moves", async () => {
    const policy = (await t.api(itKey).get('/api/v1/remediation-policy').expect(200)).body.due as Record<string, string>;
    const days = (d: string) => Number(/^P(\d+)D$/.exec(policy[d])![1]) * DAY_MS;
    const model = await createModel(t, manufacturerId, { name: `Infusion pump ${randomUUID().slice(0, 6)}`, safetyImpact: 'catastrophic' });
    const device = await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'open', missionImpact: 'mission_failure' });
    const advisory = await createAdvisory(t, {
      manufacturerId,
      cves: [BLUEKEEP],
      cvssVector: BLUEKEEP_VECTOR,
      affected: [{ modelId: model.id, versions: '<2.0' }],
    });
    // Decided ten days ago, in a cell that has not changed since twenty.
    const db = t.app.get(DataSource);
    await db.query(`UPDATE decision_cells SET since = since - interval '20 days' WHERE advisory_id = $1`, [advisory.id]);
    await db.query(`UPDATE findings SET class_since = class_since - interval '10 days' WHERE device_id = $1 AND status = 'open'`, [device.id]);
    const before = await priorityOf(device.id);
    expect(before).toMatchObject({ decision: 'immediate', missionImpact: 'mission_failure' });
    expect(Math.abs(Date.parse(before.dueAt!) - (Date.now() - 10 * DAY_MS + days('immediate')))).toBeLessThan(60_000);

    // Another mission impact: another class, the same decision (a catastrophic safety impact makes the human impact very high anyway).
    await t.api(biomedKey).patch(`/api/v1/devices/${device.id}`).send({ missionImpact: 'mef_failure' }).expect(200);
    const kept = await priorityOf(device.id);
    expect(kept).toMatchObject({ decision: 'immediate', missionImpact: 'mef_failure' });
    expect(kept.dueAt).toBe(before.dueAt);

    // A small exposure: out of cycle, due from this change.
    const changedAt = Date.now();
    await t.api(biomedKey).patch(`/api/v1/devices/${device.id}`).send({ systemExposure: 'small' }).expect(200);
    const moved = await priorityOf(device.id);
    expect(moved).toMatchObject({ decision: 'out_of_cycle', systemExposure: 'small' });
    expect(Math.abs(Date.parse(moved.dueAt!) - (changedAt + days('out_of_cycle')))).toBeLessThan(60_000);

    // Back to an open network: immediate again, counted from this change, not from the first decision ten days ago.
    const backAt = Date.now();
    await t.api(biomedKey).patch(`/api/v1/devices/${device.id}`).send({ systemExposure: 'open' }).expect(200);
    const back = await priorityOf(device.id);
    expect(back.decision).toBe('immediate');
    expect(Math.abs(Date.parse(back.dueAt!) - (backAt + days('immediate')))).toBeLessThan(60_000);
    // The report's row shows the same due date as the finding.
    const report = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}&decision=immediate`).expect(200);
    expect(report.body.items.find((i: { deviceId: string }) => i.deviceId === device.id)).toMatchObject({ decision: 'immediate', dueAt: back.dueAt });
    // The device's own manufacturer reads none of it.
    await t.api(manufacturerKey).get(`/api/v1/devices/${device.id}/findings`).expect(403);
    await t.api(manufacturerKey).get(`/api/v1/findings?deviceId=${device.id}`).expect(403);
    await t.api(manufacturerKey).get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).expect(403);
  });

  it('keeps a cell per advisory and device class, shared by the findings of every device of that class', async () => {
    const model = await createModel(t, manufacturerId, { name: `Syringe driver ${randomUUID().slice(0, 6)}`, safetyImpact: 'critical' });
    const devices = [
      await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'controlled', missionImpact: 'degraded' }),
      await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'controlled', missionImpact: 'degraded' }),
      await createDevice(t, model.id, { firmwareVersion: '1.0', systemExposure: 'open', missionImpact: 'degraded' }),
    ];
    const advisory = await createAdvisory(t, { manufacturerId, cvssVector: BLUEKEEP_VECTOR, affected: [{ modelId: model.id, versions: '<2.0' }] });
    const cells = await t.app.get(DataSource).query(`SELECT device_class FROM decision_cells WHERE advisory_id = $1 ORDER BY device_class`, [advisory.id]);
    expect(cells).toEqual([{ device_class: 'controlled|critical|degraded' }, { device_class: 'open|critical|degraded' }]);
    const [a, b] = [await priorityOf(devices[0].id), await priorityOf(devices[1].id)];
    expect(a.decision).toBe(b.decision);
  });

  describe('hostile and wrong callers', () => {
    it('refuses a manufacturer on vulnerabilities and the policy, and an it user on device fields', async () => {
      await t.api(manufacturerKey).patch(`/api/v1/vulnerabilities/${BLUEKEEP}`).send({ exploitation: 'none', note: 'nothing to see' }).expect(403);
      await t.api(manufacturerKey).get(`/api/v1/vulnerabilities/${BLUEKEEP}`).expect(403);
      await t.api(manufacturerKey).get('/api/v1/remediation-policy').expect(403);
      await t
        .api(manufacturerKey)
        .put('/api/v1/remediation-policy')
        .send({ due: { immediate: null, out_of_cycle: null, scheduled: null, defer: null } })
        .expect(403);
      await t.api(biomedKey).patch(`/api/v1/vulnerabilities/${BLUEKEEP}`).send({ exploitation: 'none', note: 'x' }).expect(403);
      await t
        .api(biomedKey)
        .put('/api/v1/remediation-policy')
        .send({ due: { immediate: null, out_of_cycle: null, scheduled: null, defer: null } })
        .expect(403);
      await t.api(itKey).patch(`/api/v1/devices/${pumpId}`).send({ systemExposure: 'small' }).expect(403);
      // A manufacturer may edit its own model, but not how much harm the hospital thinks it can do.
      const own = await createModel(t, manufacturerId);
      const res = await t.api(manufacturerKey).patch(`/api/v1/models/${own.id}`).send({ safetyImpact: 'negligible' }).expect(403);
      expect(res.body.message).toContain('safetyImpact');
      expect((await priorityOf(pumpId)).decision).toBe('out_of_cycle');
    });

    it.each([
      ['a CVE id that is not one', () => t.api(itKey).patch('/api/v1/vulnerabilities/CVE-19-1').send({ exploitation: 'active', note: 'x' }), 'cve: '],
      [
        'an exploitation value SSVC does not have',
        () => t.api(itKey).patch(`/api/v1/vulnerabilities/${BLUEKEEP}`).send({ exploitation: 'maybe', note: 'x' }),
        'exploitation: ',
      ],
      ['an assessment without a note', () => t.api(itKey).patch(`/api/v1/vulnerabilities/${BLUEKEEP}`).send({ automatable: 'no' }), 'note: '],
      [
        'a duration that is not ISO-8601',
        () =>
          t
            .api(itKey)
            .put('/api/v1/remediation-policy')
            .send({ due: { immediate: '2 days', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null } }),
        'due.immediate: ',
      ],
      [
        'a policy missing a decision',
        () =>
          t
            .api(itKey)
            .put('/api/v1/remediation-policy')
            .send({ due: { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D' } }),
        'due.defer: ',
      ],
      [
        'a system exposure SSVC does not have',
        () => t.api(biomedKey).patch(`/api/v1/devices/${pumpId}`).send({ systemExposure: 'internet' }),
        'systemExposure: ',
      ],
      ['a report decision that is not one', () => t.api(itKey).get('/api/v1/reports/outdated-firmware?decision=urgent'), 'decision: '],
      ['a report inKev that is not a boolean', () => t.api(itKey).get('/api/v1/reports/outdated-firmware?inKev=yes'), 'inKev: '],
    ])('answers 400 naming the field for %s', async (_, send, field) => {
      const res = await send();
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('tells a cursor of the severity-ordered report apart from a damaged one', async () => {
      const old = Buffer.from(JSON.stringify([4, 9.8, pumpId])).toString('base64url');
      const res = await t.api(itKey).get(`/api/v1/reports/outdated-firmware?cursor=${old}`).expect(400);
      expect(res.body.message).toContain('sorted before (by severity)');
    });
  });
});
