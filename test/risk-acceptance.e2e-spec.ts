import { get as httpGet, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { createKey } from './factories/inventory.factory';
import { exposedDevice as exposedDeviceOf } from './factories/finding.factory';
import { startTestApp, TestApp } from './support/test-app';

/** Risk acceptance of an open finding (docs/vex-and-acceptance.md): it hides the finding until it expires, then the finding comes back by itself. */
describe('Risk acceptance of a finding', () => {
  let t: TestApp;
  let itKey: string;
  let biomedKey: string;
  const DAY = 86_400_000;
  const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
  const body = (over: Record<string, unknown> = {}) => ({
    reason: 'Isolated VLAN until the vendor ships 2.0',
    compensatingControl: 'VLAN 40, no route to the internet',
    expiresAt: inDays(30),
    ...over,
  });

  beforeAll(async () => {
    // A one-second sweep, so that an acceptance expiring in two seconds comes back within the test.
    t = await startTestApp({ env: { ACCEPTANCE_SWEEP_INTERVAL_S: '1' } });
    itKey = await createKey(t, 'it');
    biomedKey = await createKey(t, 'biomed');
  });
  afterAll(async () => {
    await t?.close();
  });

  const exposedDevice = () => exposedDeviceOf(t);

  const report = async (query = '') =>
    (await t.api().get(`/api/v1/reports/outdated-firmware?limit=1000${query}`).expect(200)).body.items as Array<{
      deviceId: string;
      advisories: Array<{ id: string; findingId: string; acceptance: { state: string; reason: string } | null }>;
    }>;
  const listed = async (deviceId: string, query = '') => (await report(query)).find((i) => i.deviceId === deviceId);
  const totals = async () => (await t.api().get('/api/v1/reports/summary').expect(200)).body.totals as { exposedDevices: number; openFindings: number };
  const accept = (findingId: string, over: Record<string, unknown> = {}, key = itKey) =>
    t.api(key).post(`/api/v1/findings/${findingId}/acceptance`).send(body(over));

  it('hides an accepted finding from the report and the summary, shows it with includeAccepted, and audits who accepted it', async () => {
    const { device, findingId, advisory } = await exposedDevice();
    expect(await listed(device.id)).toBeDefined();
    const before = await totals();

    const res = await accept(findingId).expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({ findingId, reason: body().reason, compensatingControl: body().compensatingControl, state: 'active', revokedAt: null }),
    );
    expect(await listed(device.id)).toBeUndefined();
    expect(await totals()).toEqual(expect.objectContaining({ exposedDevices: before.exposedDevices - 1, openFindings: before.openFindings - 1 }));

    const shown = await listed(device.id, '&includeAccepted=true');
    expect(shown?.advisories).toEqual([
      expect.objectContaining({ id: advisory.id, findingId, acceptance: expect.objectContaining({ state: 'active', id: res.body.id }) }),
    ]);

    const finding = await t.api().get(`/api/v1/findings/${findingId}`).expect(200);
    expect(finding.body).toEqual(
      expect.objectContaining({ id: findingId, status: 'open', acceptance: expect.objectContaining({ id: res.body.id, state: 'active' }) }),
    );

    const audit = await t.api().get(`/api/v1/audit?entityType=finding&entityId=${findingId}`).expect(200);
    const entries = audit.body.items as Array<{ action: string }>;
    expect(entries.map((e) => e.action)).toContain('accept_risk');
  });

  it('refuses a second acceptance while one is active (409), and a revoke brings the finding back at once', async () => {
    const { device, findingId } = await exposedDevice();
    await accept(findingId).expect(201);
    const again = await accept(findingId);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^findingId: finding \d+ is already accepted until/);

    const revoked = await t.api(itKey).delete(`/api/v1/findings/${findingId}/acceptance`).expect(200);
    expect(revoked.body).toEqual(expect.objectContaining({ state: 'revoked', revokedBy: expect.any(String) }));
    expect(await listed(device.id)).toBeDefined();
    await t.api(itKey).delete(`/api/v1/findings/${findingId}/acceptance`).expect(404);
    // Revoked: a new acceptance is allowed.
    await accept(findingId).expect(201);
  });

  it('brings the finding back by itself when the acceptance expires: the sweep refreshes the summary without anyone reading the report', async () => {
    const { device, findingId } = await exposedDevice();
    await accept(findingId, { expiresAt: new Date(Date.now() + 2_000).toISOString() }).expect(201);
    expect(await listed(device.id)).toBeUndefined();

    const db = t.app.get(DataSource);
    const summaryRow = async () =>
      (await db.query(`SELECT open_findings FROM device_exposure WHERE device_id = $1`, [device.id])) as Array<{ open_findings: number }>;
    expect(await summaryRow()).toEqual([]);
    const deadline = Date.now() + 10_000;
    while ((await summaryRow()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await summaryRow()).toEqual([{ open_findings: 1 }]);

    expect(await listed(device.id)).toBeDefined();
    const finding = await t.api().get(`/api/v1/findings/${findingId}`).expect(200);
    expect(finding.body.acceptance).toEqual(expect.objectContaining({ state: 'expired' }));
  });

  it('ends the acceptance with the finding when the firmware is fixed', async () => {
    const { device, findingId } = await exposedDevice();
    await accept(findingId).expect(201);
    await t.api().patch(`/api/v1/devices/${device.id}`).send({ firmwareVersion: '2.0' }).expect(200);
    // A device change's recompute follows its answer (the findings engine drains it right after the commit).
    const deadline = Date.now() + 10_000;
    let finding = await t.api().get(`/api/v1/findings/${findingId}`).expect(200);
    while (finding.body.status === 'open' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      finding = await t.api().get(`/api/v1/findings/${findingId}`).expect(200);
    }
    expect(finding.body).toEqual(expect.objectContaining({ status: 'resolved', acceptance: expect.objectContaining({ state: 'ended' }) }));
    await accept(findingId).expect(404);
    await t.api(itKey).delete(`/api/v1/findings/${findingId}/acceptance`).expect(404);
  });

  it('lets only it and admin accept or revoke: biomed and a manufacturer get 403, and nothing is accepted', async () => {
    const { findingId, manufacturerId, device } = await exposedDevice();
    const manufacturerKey = await createKey(t, 'manufacturer', manufacturerId);
    for (const key of [biomedKey, manufacturerKey]) {
      expect((await accept(findingId, {}, key)).status).toBe(403);
      expect((await t.api(key).delete(`/api/v1/findings/${findingId}/acceptance`)).status).toBe(403);
    }
    expect((await t.api(manufacturerKey).get(`/api/v1/findings/${findingId}`)).status).toBe(403);
    expect(await listed(device.id)).toBeDefined();
    await accept(findingId, {}, t.adminKey).expect(201);
  });

  it.each([
    ['reason missing', { reason: undefined }, /^reason/],
    ['reason blank', { reason: '   ' }, /^reason/],
    ['reason too long', { reason: 'x'.repeat(2001) }, /^reason/],
    ['compensatingControl missing', { compensatingControl: undefined }, /^compensatingControl/],
    ['compensatingControl not text', { compensatingControl: 42 }, /^compensatingControl/],
    ['expiresAt missing', { expiresAt: undefined }, /^expiresAt/],
    ['expiresAt not a date', { expiresAt: 'next week' }, /^expiresAt/],
    ['expiresAt in the past', { expiresAt: inDays(-1) }, /^expiresAt: must be in the future/],
    ['expiresAt beyond a year', { expiresAt: inDays(366) }, /^expiresAt: must be at most 365 days/],
    ['an unknown field', { approvedBy: 'me' }, /approvedBy/],
  ])('refuses %s with a 400 naming the field', async (_label, over, message) => {
    const { findingId } = await exposedDevice();
    const res = await accept(findingId, over);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('answers 400 for an id that is no finding id and 404 for an unknown finding', async () => {
    const bad = await accept('abc');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^id:/);
    await accept('999999999').expect(404);
    await t.api().get('/api/v1/findings/999999999').expect(404);
    expect((await t.api().get('/api/v1/reports/outdated-firmware?includeAccepted=maybe')).body.message).toMatch(/^includeAccepted/);
  });

  it('says in the CSV, with includeAccepted, which advisory is accepted, until when and why (a formula in the reason is defused)', async () => {
    const { device, manufacturerId, advisory, findingId } = await exposedDevice();
    const advisoryName = (advisory as { id: string; trackingId?: string | null }).trackingId ?? advisory.id;
    const expiresAt = inDays(20);
    await accept(findingId, { expiresAt, reason: '=HYPERLINK("http://evil.example","pay")' }).expect(201);
    const csv = async (query: string) => {
      const res = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}${query}`).set('Accept', 'text/csv').expect(200);
      return parse(res.text, { columns: true }) as Array<Record<string, string>>;
    };
    expect((await csv('')).find((r) => r.deviceId === device.id)).toBeUndefined();
    const row = (await csv('&includeAccepted=true')).find((r) => r.deviceId === device.id);
    expect(row).toEqual(
      expect.objectContaining({
        advisories: advisoryName,
        acceptedAdvisories: advisoryName,
        acceptedUntil: new Date(expiresAt).toISOString(),
        acceptanceReasons: `'=HYPERLINK("http://evil.example","pay")`,
        decision: expect.stringMatching(/^(immediate|out_of_cycle|scheduled|defer)$/),
        dueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        inKev: expect.any(String),
      }),
    );
    // Revoked: the device is listed without includeAccepted again, with nothing accepted.
    await t.api(itKey).delete(`/api/v1/findings/${findingId}/acceptance`).expect(200);
    expect((await csv('')).find((r) => r.deviceId === device.id)).toEqual(
      expect.objectContaining({ acceptedAdvisories: '', acceptedUntil: '', acceptanceReasons: '' }),
    );
  });

  it('tells live consoles when an acceptance is created and when it is revoked (a findings event on the stream)', async () => {
    if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const { device, findingId } = await exposedDevice();
    const stream = await new Promise<{ res: IncomingMessage; text: () => string; close: () => void }>((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path: '/api/v1/events/stream', headers: { Authorization: `Bearer ${itKey}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve({ res, text: () => text, close: () => req.destroy() });
      });
      req.on('error', reject);
    });
    const eventsOf = () =>
      stream
        .text()
        .split('\n\n')
        .filter((e) => e.includes(device.id))
        .map((e) => ({ name: /^event: (.*)$/m.exec(e)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(e)![1]) as Record<string, unknown> }));
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (eventsOf().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return eventsOf();
    };
    try {
      expect(stream.res.statusCode).toBe(200);
      await accept(findingId).expect(201);
      const expected = { name: 'findings', data: { type: 'findings', deviceIds: [device.id], truncated: false, opened: 0, resolved: 0 } };
      expect(await waitFor(1)).toEqual([expected]);
      await t.api(itKey).delete(`/api/v1/findings/${findingId}/acceptance`).expect(200);
      expect(await waitFor(2)).toEqual([expected, expected]);
      // A refused acceptance (biomed may not accept) changes nothing and says nothing.
      expect((await accept(findingId, {}, biomedKey)).status).toBe(403);
      await new Promise((r) => setTimeout(r, 300));
      expect(eventsOf()).toHaveLength(2);
    } finally {
      stream.close();
    }
  });
});
