import { DataSource } from 'typeorm';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

const DAY_MS = 86_400_000;

interface Row {
  deviceId: string;
  dueAt: string | null;
  lastSeenAt: string | null;
  connectivity: string;
}

/**
 * What the console's Exposure page and Overview ask of the report at scale: server-side filters
 * by model, connectivity and a free-text prefix, three keyset orders whose cursors stay in their
 * order, the daily history of exposed devices, and the models with most exposure.
 */
describe('Outdated-firmware report: search, filters, orders and history for the console', () => {
  let t: TestApp;
  let itKey: string;
  let manufacturerKey: string;
  let lumen: { id: string };
  let vista: { id: string };
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const ids: Record<'alpha' | 'bravo' | 'charlie' | 'fixed', string> = { alpha: '', bravo: '', charlie: '', fixed: '' };
  let manufacturerId: string;

  const report = (query: string, key = itKey) => t.api(key).get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}&${query}`);
  const deviceIds = async (query: string): Promise<string[]> => (await report(query).expect(200)).body.items.map((r: Row) => r.deviceId);

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
    manufacturerId = (await createManufacturer(t)).id;
    manufacturerKey = await createKey(t, 'manufacturer', manufacturerId);
    lumen = await createModel(t, manufacturerId, { name: `Lumen ${tag} Infusion`, modelNumber: `LUM-${tag}` });
    vista = await createModel(t, manufacturerId, { name: `Vista ${tag} Monitor`, modelNumber: `VIS-${tag}` });
    ids.alpha = (
      await createDevice(t, lumen.id, { serialNumber: `ALPHA-${tag}`, assetTag: `AT-${tag}-1`, location: `Ward ${tag} / Bed 1`, firmwareVersion: '1.0' })
    ).id;
    ids.bravo = (
      await createDevice(t, lumen.id, { serialNumber: `BRAVO-${tag}`, location: `Theatre ${tag}`, firmwareVersion: '1.0', systemExposure: 'open' })
    ).id;
    ids.charlie = (await createDevice(t, vista.id, { serialNumber: `CHARLIE-${tag}`, location: `Ward ${tag} / Bed 9`, firmwareVersion: '1.0' })).id;
    ids.fixed = (await createDevice(t, vista.id, { serialNumber: `DELTA-${tag}`, firmwareVersion: '1.0' })).id;
    await createAdvisory(t, { manufacturerId, cvssScore: 9.8, affected: [{ modelId: lumen.id, versions: '<2.0', fixedVersion: '2.0' }] });
    // A second advisory on the same devices: overlapping findings, still one exposed device each.
    await createAdvisory(t, { manufacturerId, cvssScore: 5.0, affected: [{ modelId: lumen.id, versions: '<1.5', fixedVersion: '1.5' }] });
    await createAdvisory(t, { manufacturerId, cvssScore: 6.1, affected: [{ modelId: vista.id, versions: '<2.0', fixedVersion: '2.0' }] });

    // bravo is heard on the network; fixed reports the fixed firmware (its finding resolves today).
    const mqtt = await connectDevice(t.mqttUrl);
    try {
      await publishHeartbeat(mqtt, ids.bravo, { firmwareVersion: '1.0' });
      await publishHeartbeat(mqtt, ids.fixed, { firmwareVersion: '2.0' });
    } finally {
      await mqtt.endAsync();
    }
    await eventually(async () => {
      const rows: Row[] = (await report('limit=10').expect(200)).body.items;
      expect(rows.map((r) => r.deviceId).sort()).toEqual([ids.alpha, ids.bravo, ids.charlie].sort());
      expect(rows.find((r) => r.deviceId === ids.bravo)?.connectivity).toBe('online');
    }, 10_000);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('filters', () => {
    it('keeps the devices of one model with ?modelId=', async () => {
      expect((await deviceIds(`modelId=${vista.id}`)).sort()).toEqual([ids.charlie]);
      expect((await deviceIds(`modelId=${lumen.id}`)).sort()).toEqual([ids.alpha, ids.bravo].sort());
    });

    it('keeps the devices of one connectivity with ?connectivity=', async () => {
      expect(await deviceIds('connectivity=online')).toEqual([ids.bravo]);
      expect((await deviceIds('connectivity=never_seen')).sort()).toEqual([ids.alpha, ids.charlie].sort());
      expect(await deviceIds('connectivity=offline')).toEqual([]);
    });

    it('finds by a case-insensitive prefix of serial number, asset tag, location, model name or model number with ?q=', async () => {
      expect(await deviceIds(`q=alpha-${tag.toLowerCase()}`)).toEqual([ids.alpha]);
      expect(await deviceIds(`q=${encodeURIComponent(`at-${tag}`)}`)).toEqual([ids.alpha]);
      expect((await deviceIds(`q=${encodeURIComponent(`ward ${tag}`)}`)).sort()).toEqual([ids.alpha, ids.charlie].sort());
      expect(await deviceIds(`q=${encodeURIComponent(`Vista ${tag}`)}`)).toEqual([ids.charlie]);
      expect((await deviceIds(`q=lum-${tag}`)).sort()).toEqual([ids.alpha, ids.bravo].sort());
      // A prefix, not a substring: the middle of a serial number finds nothing.
      expect(await deviceIds(`q=${tag}`)).toEqual([]);
    });

    it('takes LIKE wildcards in ?q= as the characters themselves', async () => {
      expect(await deviceIds('q=%25')).toEqual([]);
      expect(await deviceIds('q=_')).toEqual([]);
    });

    it('combines the search with the other filters', async () => {
      expect(await deviceIds(`q=${encodeURIComponent(`ward ${tag}`)}&modelId=${lumen.id}`)).toEqual([ids.alpha]);
    });
  });

  describe('orders', () => {
    async function walk(sort: string): Promise<Row[]> {
      const rows: Row[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const res: { body: { items: Row[]; nextCursor: string | null } } = await report(
          `sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ).expect(200);
        rows.push(...res.body.items);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      return rows;
    }

    it('pages ?sort=dueAt soonest due first, nothing due last, each device once', async () => {
      const rows = await walk('dueAt');
      expect(rows.map((r) => r.deviceId).sort()).toEqual([ids.alpha, ids.bravo, ids.charlie].sort());
      const due = rows.map((r) => (r.dueAt ? Date.parse(r.dueAt) : Infinity));
      expect(due).toEqual([...due].sort((a, b) => a - b));
    });

    it('pages ?sort=lastSeen most recently heard first, never seen last, each device once', async () => {
      const rows = await walk('lastSeen');
      expect(rows.map((r) => r.deviceId)[0]).toBe(ids.bravo);
      expect(rows.map((r) => r.deviceId).sort()).toEqual([ids.alpha, ids.bravo, ids.charlie].sort());
      expect(rows.slice(1).every((r) => r.lastSeenAt === null)).toBe(true);
    });

    it('pages the default priority order as ?sort=priority does', async () => {
      expect(await walk('priority')).toEqual(await walk('priority'));
      expect((await walk('priority')).map((r) => r.deviceId)).toEqual(await deviceIds('limit=10'));
    });

    it('refuses a cursor of another order with a 400 that names both', async () => {
      const dueCursor = (await report('sort=dueAt&limit=1').expect(200)).body.nextCursor;
      const priorityCursor = (await report('limit=1').expect(200)).body.nextCursor;
      const a = await report(`cursor=${encodeURIComponent(dueCursor)}`).expect(400);
      expect(a.body.message).toMatch(/cursor.*sort=dueAt.*sort=priority/);
      const b = await report(`sort=lastSeen&cursor=${encodeURIComponent(priorityCursor)}`).expect(400);
      expect(b.body.message).toMatch(/cursor.*sort=priority.*sort=lastSeen/);
    });

    it('refuses a forged time cursor with a 400, never a database error', async () => {
      const forged = (values: unknown[]) => encodeURIComponent(Buffer.from(JSON.stringify(values)).toString('base64url'));
      for (const key of ['2026-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', "x'; --", 5]) {
        const res = await report(`sort=dueAt&cursor=${forged(['dueAt', key, ids.alpha])}`).expect(400);
        expect(res.body.message).toMatch(/^cursor/);
      }
    });
  });

  describe('bad input', () => {
    it.each([
      ['sort=severity', /sort: must be one of priority, dueAt, lastSeen/],
      ['connectivity=sideways', /connectivity: must be one of never_seen, online, offline/],
      ['modelId=pump', /modelId: must be a UUID/],
      ['q=', /q: must be longer than or equal to 1 characters/],
      [`q=${'x'.repeat(101)}`, /q: must be shorter than or equal to 100 characters/],
      ['decision=urgent', /decision: each value must be one of/],
      ['inKev=maybe', /inKev: must be true or false/],
    ])('refuses %s with a 400 naming the field', async (query, message) => {
      const res = await report(query).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });
  });

  describe('exposure history', () => {
    it('counts exposed devices at the end of each UTC day, each device once however many findings overlap', async () => {
      // alpha's oldest finding was detected three days ago; fixed was exposed from two days ago until today.
      const db = t.app.get(DataSource);
      await db.query(`UPDATE findings SET detected_at = now() - interval '3 days' WHERE device_id = $1`, [ids.alpha]);
      await db.query(`UPDATE findings SET detected_at = now() - interval '2 days' WHERE device_id = $1`, [ids.fixed]);
      const all = (await t.api(itKey).get('/api/v1/reports/exposure-history?days=5').expect(200)).body.days as Array<{ day: string; devices: number }>;
      expect(all.map((d) => d.day)).toEqual([4, 3, 2, 1, 0].map((n) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10)));
      // Other test files' devices share an embedded database: compare with the day before the window's first change.
      const base = all[0].devices;
      expect(all.map((d) => d.devices - base)).toEqual([0, 1, 2, 2, 3]);
    });

    it('answers 90 days by default, oldest first', async () => {
      const res = await t.api(itKey).get('/api/v1/reports/exposure-history').expect(200);
      expect(res.body.days).toHaveLength(90);
      expect(res.body.days[89].day).toBe(new Date().toISOString().slice(0, 10));
    });

    it.each(['0', '366', 'ninety', '1.5'])('refuses days=%s with a 400 naming the field', async (days) => {
      const res = await t.api(itKey).get(`/api/v1/reports/exposure-history?days=${days}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/days: must be a whole number from 1 to 365/);
    });
  });

  it('lists the models with most exposed devices in the summary', async () => {
    const summary = (await t.api(itKey).get('/api/v1/reports/summary').expect(200)).body;
    const mine = summary.byModel.filter((m: { id: string }) => m.id === lumen.id || m.id === vista.id);
    expect(mine).toEqual([
      { id: lumen.id, name: `Lumen ${tag} Infusion`, modelNumber: `LUM-${tag}`, manufacturer: expect.any(String), devices: 2, findings: 4 },
      { id: vista.id, name: `Vista ${tag} Monitor`, modelNumber: `VIS-${tag}`, manufacturer: expect.any(String), devices: 1, findings: 1 },
    ]);
    const counts = summary.byModel.map((m: { devices: number }) => m.devices);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });

  it('refuses a manufacturer the report, its history and the summary', async () => {
    await report(`q=alpha&sort=dueAt`, manufacturerKey).expect(403);
    await t.api(manufacturerKey).get('/api/v1/reports/exposure-history?days=7').expect(403);
    await t.api(manufacturerKey).get('/api/v1/reports/summary').expect(403);
  });
});
