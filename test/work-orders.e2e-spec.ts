import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Bundle, Resource, Task } from '@medplum/fhirtypes';
import { MqttClient } from 'mqtt';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { createPerson, TEST_DATA_KEY } from './factories/user.factory';
import { validateR4 } from './support/fhir-r4-validator';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

function expectValidR4(resource: Resource): void {
  const report = validateR4(resource);
  expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: report.warnings });
}

/**
 * The remediation loop end to end: a critical finding opens an order by itself, nobody can
 * close it by hand, the device's own heartbeat with the fixed firmware closes it with the
 * heartbeat as evidence, and a rollback reopens it.
 */
describe('Work orders', () => {
  let t: TestApp;
  let device: MqttClient;
  let itKey: string;
  let biomedKey: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY } });
    device = await connectDevice(t.mqttUrl);
    itKey = await createKey(t, 'it');
    biomedKey = await createKey(t, 'biomed');
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  /**
   * The SSVC inputs that give the decision each CVSS band of these tests stands for: critical ->
   * immediate (an analyst says its CVE is actively exploited), high -> out_of_cycle (nobody said
   * anything: the conservative defaults), medium -> scheduled (a small exposure), low -> defer
   * (small exposure, negligible safety, degraded mission). The score itself decides nothing.
   */
  async function decisionInputs(cvssScore: number): Promise<{ cves: string[]; deviceFields: Record<string, unknown> }> {
    const cve = `CVE-2026-${randomInt(1_000_000, 9_999_999)}`;
    if (cvssScore >= 9) {
      await t.api(itKey).patch(`/api/v1/vulnerabilities/${cve}`).send({ exploitation: 'active', note: 'exploited in the wild' }).expect(200);
      return { cves: [cve], deviceFields: {} };
    }
    if (cvssScore >= 7) return { cves: [cve], deviceFields: {} };
    if (cvssScore >= 4) return { cves: [cve], deviceFields: { systemExposure: 'small' } };
    return { cves: [cve], deviceFields: { systemExposure: 'small', safetyImpact: 'negligible', missionImpact: 'degraded' } };
  }

  /** A model, a device on `firmware`, and an advisory of `cvssScore` affecting <2.0 fixed in 2.0, decided as decisionInputs says. */
  async function exposedDevice(cvssScore: number, firmware = '1.0', fields: Record<string, unknown> = {}) {
    const seed = await seedModel(t);
    const department = `Cardiology ${randomBytes(3).toString('hex')}`;
    const inputs = await decisionInputs(cvssScore);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: firmware, department, location: 'Ward 3 / Bed 7', ...inputs.deviceFields, ...fields });
    const advisory = await createAdvisory(t, {
      manufacturerId: seed.manufacturerId,
      cvssScore,
      cves: inputs.cves,
      affected: [{ modelId: seed.modelId, versions: '<2.0', fixedVersion: '2.0' }],
    });
    return { ...seed, deviceId: d.id, advisoryId: advisory.id, department };
  }

  async function ordersOf(deviceId: string, key?: string) {
    const res = await t.api(key).get(`/api/v1/work-orders?deviceId=${deviceId}`).expect(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies, checked field by field
    return res.body.items as Array<Record<string, any>>;
  }

  async function onlyOrder(deviceId: string) {
    const { value } = await eventually(async () => {
      const items = await ordersOf(deviceId);
      if (items.length !== 1) throw new Error(`expected one order, got ${items.length}`);
      return items[0];
    });
    return value;
  }

  describe('the loop', () => {
    it('an immediate finding opens an order by itself with the target firmware, due by the policy', async () => {
      const s = await exposedDevice(9.8);
      const order = await onlyOrder(s.deviceId);
      expect(order).toMatchObject({ deviceId: s.deviceId, status: 'open', decision: 'immediate', targetFirmware: '2.0', kind: 'update', origin: 'auto' });
      const findings = await t.api().get(`/api/v1/devices/${s.deviceId}/findings`).expect(200);
      expect(order.findingIds).toEqual([String(findings.body[0].id)]);
      // The finding's own due date: P2D from when it became immediate, in the transaction that detected it.
      expect(findings.body[0].priority).toMatchObject({ decision: 'immediate', dueAt: order.dueAt });
      const detected = new Date(findings.body[0].detectedAt).getTime();
      expect(Math.abs(new Date(order.dueAt).getTime() - detected - 2 * 86_400_000)).toBeLessThan(5_000);
    });

    it('a low-severity finding opens no order by itself; a person can open one', async () => {
      const s = await exposedDevice(3.1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await ordersOf(s.deviceId)).toEqual([]);
      const res = await t.api(biomedKey).post('/api/v1/work-orders').send({ deviceId: s.deviceId, notes: 'bundle with the yearly service' }).expect(201);
      expect(res.body.created).toEqual([
        expect.objectContaining({ deviceId: s.deviceId, decision: 'defer', origin: 'manual', notes: 'bundle with the yearly service' }),
      ]);
      const again = await t.api(biomedKey).post('/api/v1/work-orders').send({ deviceId: s.deviceId }).expect(201);
      expect(again.body).toEqual({ created: [], existing: [{ deviceId: s.deviceId, workOrderId: res.body.created[0].id }], skipped: [] });
    });

    it("refuses a person's done (409 naming from and to); the fixed-firmware heartbeat moves it to done within 2 s with the heartbeat as evidence; a rollback reopens it", async () => {
      const s = await exposedDevice(9.1);
      const order = await onlyOrder(s.deviceId);
      const refused = await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'done' }).expect(409);
      expect(refused.body.message).toMatch(/open -> done/);
      await t
        .api(biomedKey)
        .patch(`/api/v1/work-orders/${order.id}`)
        .send({ status: 'scheduled', maintenanceWindow: { start: '2026-03-02T22:00:00Z', end: '2026-03-03T02:00:00Z' } })
        .expect(200);
      await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'in_progress' }).expect(200);

      const sentAt = new Date().toISOString();
      const published = Date.now();
      await publishHeartbeat(device, s.deviceId, { firmwareVersion: '2.0', sentAt });
      const { value: done } = await eventually(async () => {
        const res = await t.api().get(`/api/v1/work-orders/${order.id}`).expect(200);
        if (res.body.status !== 'done') throw new Error(`status ${res.body.status}`);
        return res.body;
      }, 2000);
      expect(Date.now() - published).toBeLessThanOrEqual(2000);
      expect(done.evidence).toEqual({ source: 'heartbeat', firmware: '2.0', sentAt, changedAt: expect.any(String), actor: null });
      expect(done.history.map((h: { action: string }) => h.action)).toEqual(['created', 'updated', 'updated', 'verified']);

      const report = await t.api(itKey).get('/api/v1/reports/remediation').expect(200);
      const dept = report.body.byDepartment.find((d: { department: string }) => d.department === s.department);
      expect(dept).toMatchObject({ open: 0, overdue: 0, doneInPeriod: 1, verifiedWithinDueShare: 1 });
      const hoursToFix = (new Date(done.doneAt).getTime() - new Date(done.detectedAt).getTime()) / 3_600_000;
      expect(dept.medianHoursToFix).toBeCloseTo(hoursToFix, 2);
      expect(dept.p90HoursToFix).toBeCloseTo(hoursToFix, 2);
      expect(report.body.byDecision.find((d: { decision: string }) => d.decision === 'immediate').doneInPeriod).toBeGreaterThanOrEqual(1);
      const csv = await t.api(itKey).get('/api/v1/reports/remediation').set('Accept', 'text/csv').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text).toContain(`department,${s.department},`);

      const task = await t.api(itKey).get(`/api/v1/fhir/Task/${order.id}`).expect(200);
      expect(task.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expectValidR4(task.body);
      expect(task.body).toMatchObject({
        resourceType: 'Task',
        status: 'completed',
        businessStatus: { text: 'done' },
        intent: 'order',
        priority: 'stat',
        focus: { reference: `Device/${s.deviceId}` },
        executionPeriod: { start: '2026-03-02T22:00:00.000Z', end: '2026-03-03T02:00:00.000Z' },
        restriction: { period: { end: new Date(done.dueAt).toISOString() } },
        output: [{ type: { text: 'Verified firmware (heartbeat)' }, valueString: '2.0' }],
      });

      await publishHeartbeat(device, s.deviceId, { firmwareVersion: '1.0' });
      const { value: reopened } = await eventually(async () => {
        const res = await t.api().get(`/api/v1/work-orders/${order.id}`).expect(200);
        if (res.body.status !== 'open') throw new Error(`status ${res.body.status}`);
        return res.body;
      }, 2000);
      expect(reopened.statusReason).toMatch(/rollback: the device reports firmware 1\.0 again/);
      expect(reopened.findingIds).toHaveLength(2);
      expect(reopened.evidence).toBeNull();
      expect(await ordersOf(s.deviceId)).toHaveLength(1);
    });

    it('a later finding on the same device joins its open order and raises its decision', async () => {
      const s = await exposedDevice(7.5);
      const first = await onlyOrder(s.deviceId);
      expect(first.decision).toBe('out_of_cycle');
      const exploited = await decisionInputs(9.9);
      await createAdvisory(t, {
        manufacturerId: s.manufacturerId,
        cvssScore: 9.9,
        cves: exploited.cves,
        affected: [{ modelId: s.modelId, versions: '<2.5', fixedVersion: '2.5' }],
      });
      const { value } = await eventually(async () => {
        const items = await ordersOf(s.deviceId);
        if (items.length !== 1 || items[0].findingIds.length !== 2) throw new Error('not joined yet');
        return items[0];
      });
      expect(value).toMatchObject({ id: first.id, decision: 'immediate', targetFirmware: '2.5' });
    });
  });

  describe('people working an order', () => {
    it('schedules, assigns and signs off an order, records who changed what, and audits it', async () => {
      const s = await exposedDevice(9.0);
      const order = await onlyOrder(s.deviceId);
      const engineer = await createPerson(t, 'biomed');
      const window = { start: '2026-04-01T22:00:00Z', end: '2026-04-02T01:00:00Z' };
      const res = await t
        .api(biomedKey)
        .patch(`/api/v1/work-orders/${order.id}`)
        .send({
          status: 'scheduled',
          maintenanceWindow: window,
          assigneeUserId: engineer.id,
          clinicalApproval: { note: 'ward agrees' },
          notes: 'bring the spare',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'scheduled',
        assigneeUserId: engineer.id,
        maintenanceWindow: { start: '2026-04-01T22:00:00.000Z', end: '2026-04-02T01:00:00.000Z' },
        clinicalApproval: { by: expect.any(String), at: expect.any(String), note: 'ward agrees' },
        notes: 'bring the spare',
      });
      expect(res.body.history[1]).toMatchObject({
        action: 'updated',
        changes: { status: { from: 'open', to: 'scheduled' }, assigneeUserId: { from: null, to: engineer.id } },
      });
      const audit = await t.api().get(`/api/v1/audit?entityType=work_order&entityId=${order.id}`).expect(200);
      expect(JSON.stringify(audit.body)).toContain('scheduled');

      const filtered = await t.api(itKey).get(`/api/v1/work-orders?assignee=${engineer.id}&status=scheduled`).expect(200);
      expect(filtered.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
      const task = await t.api(itKey).get(`/api/v1/fhir/Task?focus=Device/${s.deviceId}`).expect(200);
      expectValidR4(task.body);
      const [entry] = (task.body as Bundle<Task>).entry!;
      expect(entry.resource).toMatchObject({
        status: 'accepted',
        owner: { identifier: { value: engineer.id } },
        executionPeriod: { start: '2026-04-01T22:00:00.000Z' },
      });
    });

    it.each([
      [{ status: 'verifying' }, 409, /^status: open -> verifying is not allowed/],
      [{ status: 'cancelled' }, 400, /^reason: required/],
      [{ status: 'scheduled' }, 400, /^maintenanceWindow: required/],
      [{ status: 'finished' }, 400, /status/],
      [{ maintenanceWindow: { start: '2026-04-02T00:00:00Z', end: '2026-04-01T00:00:00Z' } }, 400, /^maintenanceWindow.end: must be after/],
      [{ maintenanceWindow: { start: '2026-02-30T00:00:00Z', end: '2026-04-01T00:00:00Z' } }, 400, /start/],
      [{ assigneeUserId: randomUUID() }, 400, /^assigneeUserId: no user/],
      [{ reason: 'because' }, 400, /^reason: only with/],
      [{ evidence: { source: 'person' } }, 400, /evidence/],
    ])('refuses %j with %i naming the field', async (body, status, message) => {
      const s = await exposedDevice(9.5);
      const order = await onlyOrder(s.deviceId);
      const res = await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send(body);
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
    });

    it('cancels with a reason; a cancelled order is closed, and a new order may open for the device', async () => {
      const s = await exposedDevice(9.5);
      const order = await onlyOrder(s.deviceId);
      const res = await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'cancelled', reason: 'device to be replaced' }).expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', statusReason: 'device to be replaced' });
      const reopen = await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'open' }).expect(409);
      expect(reopen.body.message).toBe('status: cancelled -> open is not allowed (cancelled is closed)');
      const created = await t.api(biomedKey).post('/api/v1/work-orders').send({ deviceId: s.deviceId }).expect(201);
      expect(created.body.created).toHaveLength(1);
    });

    it("opens orders for a model's whole fleet by hand, skipping devices without open findings", async () => {
      const seed = await seedModel(t);
      // A small exposure: scheduled, which opens no order by itself.
      const exposed = await createDevice(t, seed.modelId, { firmwareVersion: '1.0', systemExposure: 'small' });
      const safe = await createDevice(t, seed.modelId, { firmwareVersion: '3.0', systemExposure: 'small' });
      await createAdvisory(t, {
        manufacturerId: seed.manufacturerId,
        cvssScore: 5.0,
        affected: [{ modelId: seed.modelId, versions: '<2.0', fixedVersion: '2.0' }],
      });
      const res = await t.api(itKey).post('/api/v1/work-orders').send({ modelId: seed.modelId }).expect(201);
      expect(res.body.created.map((o: { deviceId: string }) => o.deviceId)).toEqual([exposed.id]);
      expect(res.body.skipped).toEqual([{ deviceId: safe.id, reason: 'no_open_findings' }]);
      const models = await t.api(itKey).get(`/api/v1/work-orders?model=${seed.modelId}&decision=scheduled`).expect(200);
      expect(models.body.items).toHaveLength(1);
    });

    it.each([
      [{}, 400, /^deviceId, deviceIds, modelId: give exactly one/],
      [{ deviceId: randomUUID(), modelId: randomUUID() }, 400, /exactly one/],
      [{ deviceId: randomUUID() }, 404, /not found/],
      [{ deviceIds: [randomUUID()] }, 400, /^deviceIds: device .* not found/],
      [{ modelId: randomUUID() }, 404, /Model .* not found/],
      [{ deviceId: 'nope' }, 400, /deviceId/],
    ])('refuses to create from %j', async (body, status, message) => {
      const res = await t.api(itKey).post('/api/v1/work-orders').send(body);
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
    });

    it('pages with a cursor and filters by overdue, due date, department; exports CSV for a CMMS', async () => {
      const s = await exposedDevice(9.7);
      await onlyOrder(s.deviceId);
      const s2 = await exposedDevice(9.7, '1.0', { department: '=SUM(A1)' });
      await onlyOrder(s2.deviceId);
      const first = await t.api(itKey).get('/api/v1/work-orders?limit=1').expect(200);
      expect(first.body.items).toHaveLength(1);
      const second = await t.api(itKey).get(`/api/v1/work-orders?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      await t.api(itKey).get('/api/v1/work-orders?cursor=bogus').expect(400);
      const dept = await t
        .api(itKey)
        .get(`/api/v1/work-orders?department=${encodeURIComponent(s.department)}&overdue=false`)
        .expect(200);
      expect(dept.body.items.map((o: { deviceId: string }) => o.deviceId)).toEqual([s.deviceId]);
      const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const due = await t.api(itKey).get(`/api/v1/work-orders?dueBefore=${soon}&deviceId=${s.deviceId}`).expect(200);
      expect(due.body.items).toHaveLength(1);
      await t.api(itKey).get('/api/v1/work-orders?overdue=maybe').expect(400);
      const csv = await t.api(itKey).get(`/api/v1/work-orders?deviceId=${s2.deviceId}`).set('Accept', 'text/csv').expect(200);
      expect(csv.text.split('\n')[0]).toMatch(/^id,deviceId,serialNumber/);
      expect(csv.text).toContain("'=SUM(A1)");
    });

    it("publishes a department's scheduled windows as an iCalendar feed", async () => {
      const s = await exposedDevice(9.6);
      const order = await onlyOrder(s.deviceId);
      await t
        .api(biomedKey)
        .patch(`/api/v1/work-orders/${order.id}`)
        .send({ status: 'scheduled', maintenanceWindow: { start: '2026-05-04T21:00:00Z', end: '2026-05-04T23:30:00Z' } })
        .expect(200);
      const other = await exposedDevice(9.6);
      const otherOrder = await onlyOrder(other.deviceId);
      await t
        .api(biomedKey)
        .patch(`/api/v1/work-orders/${otherOrder.id}`)
        .send({ maintenanceWindow: { start: '2026-05-05T21:00:00Z', end: '2026-05-05T23:30:00Z' } })
        .expect(200);
      const res = await t
        .api(biomedKey)
        .get(`/api/v1/work-orders/calendar.ics?department=${encodeURIComponent(s.department)}`)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      expect(res.text).toContain(`UID:${order.id}@iomt-inventory`);
      expect(res.text).toContain('DTSTART:20260504T210000Z');
      expect(res.text).not.toContain(otherOrder.id);
      const vendorKey = await createKey(t, 'manufacturer', s.manufacturerId);
      await t.api(vendorKey).get('/api/v1/work-orders/calendar.ics').expect(403);
    });

    it("proposes the next slot of the department's standing window to an order without one", async () => {
      const s = await exposedDevice(9.6);
      const order = await onlyOrder(s.deviceId);
      const rule = { department: s.department, rrule: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=22;BYMINUTE=0;BYSECOND=0', duration: 'PT4H', timeZone: 'Europe/Berlin' };
      await t.api(itKey).put('/api/v1/work-orders/recurring-windows').send(rule).expect(403);
      const bad = await t
        .api(biomedKey)
        .put('/api/v1/work-orders/recurring-windows')
        .send({ ...rule, timeZone: 'Mars/Olympus' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^timeZone: /);
      const set = await t.api(biomedKey).put('/api/v1/work-orders/recurring-windows').send(rule).expect(200);
      expect(set.body).toMatchObject({ ...rule, nextSlot: { start: expect.any(String), end: expect.any(String) } });
      const start = new Date(set.body.nextSlot.start);
      expect(start.getTime()).toBeGreaterThan(Date.now());
      expect(start.getUTCDay()).toBe(2); // 22:00 Berlin is 20:00Z or 21:00Z, still Tuesday
      expect(new Date(set.body.nextSlot.end).getTime() - start.getTime()).toBe(4 * 3_600_000);
      const read = await t.api(biomedKey).get(`/api/v1/work-orders/${order.id}`).expect(200);
      expect(read.body.proposedWindow).toEqual(set.body.nextSlot);
      const listed = await t.api(itKey).get('/api/v1/work-orders/recurring-windows').expect(200);
      expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ department: s.department })]));
    });

    it('takes a window of a week in seconds and refuses a duration too large to add up (once stored with no end)', async () => {
      const rule = { department: 'Durations Ward', rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=0;BYMINUTE=0;BYSECOND=0', timeZone: 'UTC' };
      const week = await t
        .api(biomedKey)
        .put('/api/v1/work-orders/recurring-windows')
        .send({ ...rule, duration: 'PT604800S' })
        .expect(200);
      expect(new Date(week.body.nextSlot.end).getTime() - new Date(week.body.nextSlot.start).getTime()).toBe(7 * 86_400_000);
      for (const duration of ['P999999Y', 'P9999999999999999D']) {
        const res = await t
          .api(biomedKey)
          .put('/api/v1/work-orders/recurring-windows')
          .send({ ...rule, duration });
        expect(res.status).toBe(400);
        expect(res.body.message).toBe('duration: must be an ISO 8601 duration such as PT4H');
      }
      const listed = await t.api(biomedKey).get('/api/v1/work-orders/recurring-windows').expect(200);
      expect(listed.body.find((w: { department: string }) => w.department === rule.department)).toMatchObject({ duration: 'PT604800S' });
    });

    it('counts overdue orders in /metrics', async () => {
      const s = await exposedDevice(9.7);
      await onlyOrder(s.deviceId);
      await t
        .api()
        .put('/api/v1/work-orders/policy')
        .send({ autoOpenDecisions: ['immediate', 'out_of_cycle'] })
        .expect(200);
      const metrics = await t.api(itKey).get('/metrics').expect(200);
      expect(metricValue(metrics.text, 'iomt_work_orders_overdue')).toBeGreaterThanOrEqual(0);
      expect(metricValue(metrics.text, 'iomt_work_orders_changes_total', { change: 'created' })).toBeGreaterThan(0);
    });
  });

  describe('policy', () => {
    it('lets admin and IT choose which decisions open orders by themselves; biomed may read it, not change it', async () => {
      const before = await t.api(biomedKey).get('/api/v1/work-orders/policy').expect(200);
      expect(before.body.autoOpenDecisions).toEqual(['immediate', 'out_of_cycle']);
      await t.api(biomedKey).put('/api/v1/work-orders/policy').send({ autoOpenDecisions: [] }).expect(403);
      await t
        .api(itKey)
        .put('/api/v1/work-orders/policy')
        .send({ autoOpenDecisions: ['urgent'] })
        .expect(400);
      const res = await t
        .api(itKey)
        .put('/api/v1/work-orders/policy')
        .send({ autoOpenDecisions: ['immediate', 'out_of_cycle', 'scheduled'] })
        .expect(200);
      expect(res.body.autoOpenDecisions).toEqual(['immediate', 'out_of_cycle', 'scheduled']);
      try {
        const s = await exposedDevice(5.5);
        expect((await onlyOrder(s.deviceId)).decision).toBe('scheduled');
      } finally {
        await t
          .api(itKey)
          .put('/api/v1/work-orders/policy')
          .send({ autoOpenDecisions: ['immediate', 'out_of_cycle'] })
          .expect(200);
      }
    });
  });

  describe('a hostile manufacturer', () => {
    it("sees only orders on its own models, without places or people, and may only answer the validation request; another vendor's order is a 404", async () => {
      const own = await exposedDevice(9.8);
      const other = await exposedDevice(9.8);
      const ownOrder = await onlyOrder(own.deviceId);
      const otherOrder = await onlyOrder(other.deviceId);
      const vendorKey = await createKey(t, 'manufacturer', own.manufacturerId);

      const list = await t.api(vendorKey).get('/api/v1/work-orders?limit=1000').expect(200);
      expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([ownOrder.id]);
      expect(JSON.stringify(list.body)).not.toMatch(/Cardiology|Ward 3|department|location|notes|assignee/);
      const mine = await t.api(vendorKey).get(`/api/v1/work-orders/${ownOrder.id}`).expect(200);
      expect(mine.body.history).toBeUndefined();

      const probe = await t.api(vendorKey).get(`/api/v1/work-orders/${otherOrder.id}`);
      const missing = await t.api(vendorKey).get(`/api/v1/work-orders/${randomUUID()}`);
      expect(probe.status).toBe(404);
      expect(probe.body.message.replace(otherOrder.id, 'ID')).toEqual(missing.body.message.replace(/[0-9a-f-]{36}/, 'ID'));
      await t
        .api(vendorKey)
        .patch(`/api/v1/work-orders/${otherOrder.id}`)
        .send({ manufacturerValidated: { reference: 'X' } })
        .expect(404);

      const status = await t.api(vendorKey).patch(`/api/v1/work-orders/${ownOrder.id}`).send({ status: 'cancelled', reason: 'no' });
      expect(status.status).toBe(403);
      expect(status.body.message).toMatch(/manufacturerValidated/);
      await t.api(vendorKey).patch(`/api/v1/work-orders/${ownOrder.id}`).send({ notes: 'hi' }).expect(403);
      const answered = await t
        .api(vendorKey)
        .patch(`/api/v1/work-orders/${ownOrder.id}`)
        .send({ manufacturerValidated: { reference: 'VAL-2026-0142' } })
        .expect(200);
      expect(answered.body.manufacturerValidated).toMatchObject({ reference: 'VAL-2026-0142' });

      await t.api(vendorKey).post('/api/v1/work-orders').send({ deviceId: own.deviceId }).expect(403);
      await t.api(vendorKey).get(`/api/v1/fhir/Task/${ownOrder.id}`).expect(403);
      await t.api(vendorKey).get('/api/v1/reports/remediation').expect(403);
      await t.api(vendorKey).get('/api/v1/work-orders/policy').expect(403);
      await t.http().get('/api/v1/work-orders').expect(401);
    });
  });
});
