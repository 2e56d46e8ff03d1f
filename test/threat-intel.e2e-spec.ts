import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../src/prioritisation/prioritisation.events';
import { epssCsv, epssDay, EpssDay } from './factories/epss.factory';
import { createKey, createManufacturer } from './factories/inventory.factory';
import { FIXTURES_DIR } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const KEV_FILE = resolve(FIXTURES_DIR, 'kev', 'known_exploited_vulnerabilities-2025.08.25.json');
const KEV_TEXT = readFileSync(KEV_FILE, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a copy of the catalog, edited loosely per test
const kevCatalog = (): Record<string, any> => JSON.parse(KEV_TEXT);

/** What PRIORITY_INPUTS_CHANGED announced since the last call. */
function recordEvents(t: TestApp): () => PriorityInputsChangedEvent[] {
  const seen: PriorityInputsChangedEvent[] = [];
  t.app.get(EventEmitter2).on(PRIORITY_INPUTS_CHANGED, (e: PriorityInputsChangedEvent) => seen.push(e));
  return () => seen.splice(0);
}

const sorted = (xs: string[]) => [...xs].sort();

describe('Threat intelligence: KEV and EPSS loaded offline, shown, announced', () => {
  let t: TestApp;
  let db: DataSource;
  let itKey: string;
  let events: () => PriorityInputsChangedEvent[];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    itKey = await createKey(t, 'it');
    events = recordEvents(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const uploadKev = (body: unknown, key = itKey) =>
    t
      .api(key)
      .post('/api/v1/threat-intel/kev')
      .send(body as object);
  const uploadEpss = (body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'text/csv' }, key = itKey) =>
    t
      .api(key)
      .post('/api/v1/threat-intel/epss')
      .set(headers)
      .send(Buffer.isBuffer(body) ? body : Buffer.from(body));
  const status = async () => (await t.api(itKey).get('/api/v1/threat-intel').expect(200)).body;
  const epssRows = async (): Promise<Map<string, [string, string]>> =>
    new Map(
      (await db.query(`SELECT cve, epss::text AS epss, percentile::text AS percentile FROM epss_scores`)).map((r: Record<string, string>) => [
        r.cve,
        [r.epss, r.percentile],
      ]),
    );

  describe('KEV', () => {
    it('shows nothing loaded before the first load', async () => {
      expect(await status()).toEqual({
        kev: null,
        epss: null,
        pull: {
          intervalSeconds: 86400,
          kev: { configured: false, lastAttemptAt: null, lastSuccessAt: null, lastError: null },
          epss: { configured: false, lastAttemptAt: null, lastSuccessAt: null, lastError: null },
        },
      });
    });

    it("loads CISA's published catalog as it is (1.26 MB, above the API's usual JSON limit), announces its CVEs and audits who loaded it", async () => {
      const res = await t.api(itKey).post('/api/v1/threat-intel/kev').set('Content-Type', 'application/json').send(KEV_TEXT).expect(200);
      expect(res.body).toMatchObject({ unchanged: false, changedCves: 1404, kev: { catalogVersion: '2025.08.25', entries: 1404, origin: 'upload' } });
      const shown = (await status()).kev;
      expect(shown).toEqual({
        catalogVersion: '2025.08.25',
        dateReleased: '2025-08-25T17:04:19.979Z',
        entries: 1404,
        loadedAt: expect.any(String),
        loadedBy: expect.stringMatching(/^it /),
        origin: 'upload',
      });
      const [bluekeep] = await db.query(`SELECT known_ransomware, vendor_project, date_added::text AS date_added FROM kev_entries WHERE cve = 'CVE-2019-0708'`);
      expect(bluekeep).toEqual({ known_ransomware: true, vendor_project: 'Microsoft', date_added: '2021-11-03' });
      expect((await db.query(`SELECT count(*)::int AS n FROM kev_entries WHERE known_ransomware`))[0].n).toBe(293);
      const announced = events();
      expect(announced).toHaveLength(1);
      expect(announced[0].scope).toBe('cves');
      expect(sorted((announced[0] as { cves: string[] }).cves)).toEqual(sorted(kevCatalog().vulnerabilities.map((v: { cveID: string }) => v.cveID)));
      const audit = await t.api().get('/api/v1/audit?entityType=threat_intel_feed&entityId=kev').expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action: 'load',
          actorName: shown.loadedBy,
          changes: expect.objectContaining({ version: '2025.08.25', entries: 1404, origin: 'upload', previousVersion: null }),
        }),
      ]);
    });

    it('answers the same catalogVersion again with unchanged: true, writing, announcing and auditing nothing', async () => {
      const before = (await status()).kev;
      const res = await uploadKev(kevCatalog(), await createKey(t, 'admin')).expect(200);
      expect(res.body).toEqual({ unchanged: true, changedCves: 0, kev: before });
      expect((await status()).kev).toEqual(before);
      expect(events()).toEqual([]);
      expect((await t.api().get('/api/v1/audit?entityType=threat_intel_feed&entityId=kev').expect(200)).body.items).toHaveLength(1);
    });

    it('replaces the catalog whole with a new version and announces exactly the CVEs that entered, left or changed their ransomware flag', async () => {
      const next = kevCatalog();
      next.catalogVersion = '2025.08.26';
      const [gone] = next.vulnerabilities.splice(5, 1);
      const flipped = next.vulnerabilities.find((v: { knownRansomwareCampaignUse: string }) => v.knownRansomwareCampaignUse === 'Unknown');
      flipped.knownRansomwareCampaignUse = 'Known';
      next.vulnerabilities[0].shortDescription = 'reworded: not an input of any decision';
      next.vulnerabilities.push({ ...next.vulnerabilities[1], cveID: 'CVE-2025-99999' });
      const res = await uploadKev(next).expect(200);
      expect(res.body).toMatchObject({ unchanged: false, changedCves: 3, kev: { catalogVersion: '2025.08.26', entries: 1404 } });
      expect(events()).toEqual([{ scope: 'cves', cves: expect.arrayContaining([gone.cveID, flipped.cveID, 'CVE-2025-99999']) }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM kev_entries WHERE cve = $1`, [gone.cveID]))[0].n).toBe(0);
      expect((await db.query(`SELECT known_ransomware FROM kev_entries WHERE cve = $1`, [flipped.cveID]))[0].known_ransomware).toBe(true);
    });

    it("refuses a catalog that fails CISA's schema with 400 naming the JSON path, and keeps the loaded one", async () => {
      const before = (await status()).kev;
      const missing = kevCatalog();
      missing.catalogVersion = '2025.09.01';
      delete missing.vulnerabilities[3].cveID;
      const r1 = await uploadKev(missing).expect(400);
      expect(r1.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'vulnerabilities[3].cveID: is required' });
      const wrongType = kevCatalog();
      wrongType.catalogVersion = '2025.09.01';
      wrongType.vulnerabilities[10].dateAdded = 20250101;
      const r2 = await uploadKev(wrongType).expect(400);
      expect(r2.body.message).toBe('vulnerabilities[10].dateAdded: must be string');
      const r3 = await uploadKev({ catalogVersion: '2025.09.01', count: 0 }).expect(400);
      expect(r3.body.message).toBe('dateReleased: is required; vulnerabilities: is required');
      expect((await status()).kev).toEqual(before);
      expect(events()).toEqual([]);
    });

    it('refuses a catalog that is not JSON with 415, and broken JSON with 400', async () => {
      await t.api(itKey).post('/api/v1/threat-intel/kev').set('Content-Type', 'text/csv').send('catalogVersion').expect(415);
      const broken = await t.api(itKey).post('/api/v1/threat-intel/kev').set('Content-Type', 'application/json').send(KEV_TEXT.slice(0, 5000)).expect(400);
      expect(broken.body.message).toBe('body: is not valid JSON');
    });
  });

  describe('EPSS', () => {
    const day1 = epssDay(3000);
    /** Day 2: ten scores move, one CVE goes, one comes. */
    const day2: EpssDay = (() => {
      const d = epssDay(3000, { scoreDate: '2025-08-26T12:55:00Z' });
      for (let i = 0; i < 10; i++) d.scores.set(`CVE-2024-${100000 + i * 100}`, ['0.99999', '1.00000']);
      d.scores.delete('CVE-2024-102999');
      d.scores.set('CVE-2025-000001'.replace('000001', '0001'), ['0.12345', '0.54321']);
      return d;
    })();
    const changedFromDay1ToDay2 = [...Array.from({ length: 10 }, (_, i) => `CVE-2024-${100000 + i * 100}`), 'CVE-2024-102999', 'CVE-2025-0001'];

    it('loads a plain CSV day, swaps it in and announces its CVEs', async () => {
      const res = await uploadEpss(epssCsv(day1)).expect(200);
      expect(res.body).toEqual({
        unchanged: false,
        rows: 3000,
        changedCves: 3000,
        epss: {
          modelVersion: 'v2025.03.14',
          scoreDate: '2025-08-25T12:55:00.000Z',
          entries: 3000,
          loadedAt: expect.any(String),
          loadedBy: expect.stringMatching(/^it /),
          origin: 'upload',
        },
      });
      expect(await epssRows()).toEqual(day1.scores);
      expect((await status()).epss).toEqual(res.body.epss);
      const [announced] = events();
      expect(announced.scope).toBe('cves');
      expect((announced as { cves: string[] }).cves).toHaveLength(3000);
      expect((await db.query(`SELECT count(*)::int AS n FROM epss_staging`))[0].n).toBe(0);
    });

    it('loads the next day gzip-compressed (application/gzip) and announces only the CVEs whose scores changed', async () => {
      const res = await uploadEpss(gzipSync(epssCsv(day2)), { 'Content-Type': 'application/gzip' }).expect(200);
      expect(res.body).toMatchObject({ unchanged: false, rows: 3000, changedCves: 12, epss: { scoreDate: '2025-08-26T12:55:00.000Z', entries: 3000 } });
      expect(await epssRows()).toEqual(day2.scores);
      expect(events().map((e) => ({ ...e, cves: sorted((e as { cves: string[] }).cves) }))).toEqual([{ scope: 'cves', cves: sorted(changedFromDay1ToDay2) }]);
    });

    it('answers the same model version and score date again with unchanged: true, gzip by Content-Encoding or plain, reading no further than line 1', async () => {
      const before = (await status()).epss;
      const gz = await uploadEpss(gzipSync(epssCsv(day2)), { 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' }).expect(200);
      expect(gz.body).toEqual({ unchanged: true, rows: 0, changedCves: 0, epss: before });
      // A broken line further down is never read: the day is recognised from line 1.
      const plain = await uploadEpss(epssCsv(day2) + 'not,a,score\n').expect(200);
      expect(plain.body.unchanged).toBe(true);
      expect(events()).toEqual([]);
      expect((await t.api().get('/api/v1/audit?entityType=threat_intel_feed&entityId=epss').expect(200)).body.items).toHaveLength(2);
    });

    it('refuses a malformed line with 400 naming the line and field, and loads nothing of that file', async () => {
      const before = await epssRows();
      const day3 = epssDay(3000, { scoreDate: '2025-08-27T12:55:00Z', salt: 3 });
      const lines = epssCsv(day3).split('\n');
      const bad = (i: number, text: string) => [...lines.slice(0, i - 1), text, ...lines.slice(i)].join('\n');
      const cases: Array<[string | Buffer, string, string]> = [
        [bad(2500, 'CVE-2024-102497,1.2,0.5'), 'text', 'line 2500: epss: must be a number from 0 to 1, got "1.2"'],
        [bad(1700, 'CVE-2024-101697,0.5'), 'text', 'line 1700: row: must have 3 fields (cve,epss,percentile), got 2'],
        [bad(40, 'CVE-24-1,0.5,0.5'), 'text', 'line 40: cve: must be a CVE id like CVE-2019-0708, got "CVE-24-1"'],
        [bad(2, 'cve,percentile,epss'), 'text', 'line 2: header: must be "cve,epss,percentile", got "cve,percentile,epss"'],
        [bad(1, '#model_version:v2025.03.14'), 'text', 'line 1: score_date: is missing from the first line'],
        [bad(2900, 'CVE-2024-100004,0.1,0.1'), 'text', 'line 2900: cve: CVE-2024-100004 is listed twice (also line 7)'],
        [gzipSync(bad(2999, 'CVE-2024-102996,0.1,x')), 'gzip', 'line 2999: percentile: must be a number from 0 to 1, got "x"'],
        [gzipSync(epssCsv(day3)).subarray(0, 5000), 'gzip', 'body: is not a valid gzip stream (unexpected end of file)'],
        [epssCsv(day3), 'declared gzip', 'body: is declared gzip (Content-Encoding or Content-Type) but is not gzip data'],
      ];
      for (const [body, kind, message] of cases) {
        const headers = kind === 'declared gzip' ? { 'Content-Type': 'application/gzip' } : { 'Content-Type': 'text/csv' };
        const res = await uploadEpss(body, headers);
        expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message });
      }
      expect(await epssRows()).toEqual(before);
      expect((await status()).epss.scoreDate).toBe('2025-08-26T12:55:00.000Z');
      expect((await db.query(`SELECT count(*)::int AS n FROM epss_staging`))[0].n).toBe(0);
      expect(events()).toEqual([]);
    });

    it('refuses a JSON body with 400 and any other format with 415, naming what it takes', async () => {
      const json = await t.api(itKey).post('/api/v1/threat-intel/epss').send({ cve: 'CVE-2019-0708' }).expect(400);
      expect(json.body.message).toBe('body: must be the EPSS CSV (Content-Type text/csv) or its gzip (application/gzip), not JSON');
      const form = await t.api(itKey).post('/api/v1/threat-intel/epss').type('form').send({ cve: 'CVE-2019-0708' }).expect(415);
      expect(form.body.message).toBe('Content-Type: must be text/csv or application/gzip, got "application/x-www-form-urlencoded"');
    });
  });

  describe('roles', () => {
    it('refuses a manufacturer and a biomed key every threat-intel route with 403, and changes nothing', async () => {
      const manufacturer = await createManufacturer(t);
      const keys = [await createKey(t, 'manufacturer', manufacturer.id), await createKey(t, 'biomed')];
      const before = await status();
      for (const key of keys) {
        await t.api(key).get('/api/v1/threat-intel').expect(403);
        const catalog = kevCatalog();
        catalog.catalogVersion = '2099.01.01';
        await uploadKev(catalog, key).expect(403);
        await uploadEpss(epssCsv(epssDay(10, { scoreDate: '2099-01-01T00:00:00Z' })), { 'Content-Type': 'text/csv' }, key).expect(403);
        await t.api(key).post('/api/v1/threat-intel/pull').expect(403);
      }
      await t.http().get('/api/v1/threat-intel').expect(401);
      expect(await status()).toEqual(before);
    });
  });
});

describe('Threat intelligence: pulled from KEV_URL and EPSS_URL', () => {
  let server: Server;
  let base: string;
  /** What the mirror serves: path -> [status, content type, body]. */
  const served = new Map<string, [number, string, Buffer]>();
  let t: TestApp;
  let itKey: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, type, body] = served.get(req.url ?? '') ?? [404, 'text/plain', Buffer.from('not here')];
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
      res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    served.set('/kev.json', [200, 'application/json', Buffer.from(KEV_TEXT)]);
    served.set('/epss.csv.gz', [200, 'application/gzip', gzipSync(epssCsv(epssDay(2000)))]);
    t = await startTestApp({ env: { KEV_URL: `${base}/kev.json`, EPSS_URL: `${base}/epss.csv.gz`, THREAT_INTEL_PULL_INTERVAL_S: '3600' } });
    itKey = await createKey(t, 'it');
  });
  afterAll(async () => {
    await t?.close();
    if (server?.listening) await new Promise((ok) => server.close(ok));
  });

  const status = async () => (await t.api(itKey).get('/api/v1/threat-intel').expect(200)).body;

  it('pulls both feeds by itself soon after boot', async () => {
    const deadline = Date.now() + 30_000;
    let s = await status();
    while ((s.pull.kev.lastAttemptAt === null || s.pull.epss.lastAttemptAt === null) && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 250));
      s = await status();
    }
    expect(s).toMatchObject({
      kev: { catalogVersion: '2025.08.25', entries: 1404, origin: 'pull', loadedBy: null },
      epss: { modelVersion: 'v2025.03.14', entries: 2000, origin: 'pull', loadedBy: null },
      pull: {
        intervalSeconds: 3600,
        kev: { configured: true, lastAttemptAt: expect.any(String), lastSuccessAt: expect.any(String), lastError: null },
        epss: { configured: true, lastAttemptAt: expect.any(String), lastSuccessAt: expect.any(String), lastError: null },
      },
    });
    const audit = await t.api().get('/api/v1/audit?entityType=threat_intel_feed').expect(200);
    expect(audit.body.items.map((e: { actorName: string; changes: { origin: string } }) => [e.actorName, e.changes.origin])).toEqual([
      ['system', 'pull'],
      ['system', 'pull'],
    ]);
  });

  it('pulls on demand and answers what it did: unchanged, then a new EPSS day loaded', async () => {
    const again = await t.api(itKey).post('/api/v1/threat-intel/pull').expect(200);
    expect(again.body).toEqual({
      feeds: [
        { feed: 'kev', outcome: 'unchanged', version: '2025.08.25' },
        { feed: 'epss', outcome: 'unchanged', version: 'v2025.03.14' },
      ],
    });
    served.set('/epss.csv.gz', [200, 'application/octet-stream', gzipSync(epssCsv(epssDay(2500, { scoreDate: '2025-08-26T12:55:00Z', salt: 9 })))]);
    const next = await t.api(itKey).post('/api/v1/threat-intel/pull').expect(200);
    expect(next.body.feeds).toEqual([
      { feed: 'kev', outcome: 'unchanged', version: '2025.08.25' },
      { feed: 'epss', outcome: 'loaded', version: 'v2025.03.14' },
    ]);
    expect((await status()).epss).toMatchObject({
      scoreDate: '2025-08-26T12:55:00.000Z',
      entries: 2500,
      origin: 'pull',
      loadedBy: expect.stringMatching(/^it /),
    });
  });

  it('records a failing mirror, shows the error, keeps what was loaded and keeps serving', async () => {
    served.delete('/epss.csv.gz');
    const kevBroken = kevCatalog();
    kevBroken.catalogVersion = '2025.08.27';
    delete kevBroken.vulnerabilities[0].cveID;
    served.set('/kev.json', [200, 'application/json', Buffer.from(JSON.stringify(kevBroken))]);
    const res = await t.api(itKey).post('/api/v1/threat-intel/pull').expect(200);
    expect(res.body.feeds).toEqual([
      { feed: 'kev', outcome: 'failed', error: 'vulnerabilities[0].cveID: is required' },
      { feed: 'epss', outcome: 'failed', error: 'HTTP 404 from the feed URL' },
    ]);
    const s = await status();
    expect(s.kev).toMatchObject({ catalogVersion: '2025.08.25', entries: 1404 });
    expect(s.epss).toMatchObject({ scoreDate: '2025-08-26T12:55:00.000Z', entries: 2500 });
    expect(s.pull.kev.lastError).toBe('vulnerabilities[0].cveID: is required');
    expect(s.pull.epss.lastError).toBe('HTTP 404 from the feed URL');
    expect(Date.parse(s.pull.epss.lastAttemptAt)).toBeGreaterThan(Date.parse(s.pull.epss.lastSuccessAt));
    await t.http().get('/health').expect(200);
  });

  it('records an unreachable mirror the same way, and a pull is refused with 409 while another runs', async () => {
    const [first, second] = await Promise.all([t.api(itKey).post('/api/v1/threat-intel/pull'), t.api(itKey).post('/api/v1/threat-intel/pull')]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((first.status === 409 ? first : second).body.message).toMatch(/^a pull is running/);
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    const res = await t.api(itKey).post('/api/v1/threat-intel/pull').expect(200);
    expect(res.body.feeds).toEqual([
      { feed: 'kev', outcome: 'failed', error: 'the feed URL could not be reached (ECONNREFUSED)' },
      { feed: 'epss', outcome: 'failed', error: 'the feed URL could not be reached (ECONNREFUSED)' },
    ]);
    expect((await status()).pull.kev.lastError).toBe('the feed URL could not be reached (ECONNREFUSED)');
  });
});
