import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { eventually } from './support/mqtt-device';
import { hostileRequests, HostileRequest, IdPools } from './support/hostile-input';
import { Operation, operationsOf } from './support/openapi-operations';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every route the OpenAPI document lists gets generated hostile query strings, path parameters
 * and JSON bodies from every role; none may answer 5xx. The seed is fixed so a failure replays;
 * FUZZ_SEED and FUZZ_RUNS (per route) explore further.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** Runs per route: a base, plus more for each parameter and body field it takes. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 18);
const runsFor = (op: Operation) => RUNS + Math.ceil(RUNS / 3) * (op.queryParams.length + op.pathParams.length + Object.keys(op.body?.properties ?? {}).length);
const CONCURRENCY = 4;
const INTERNALS = /\bat .+\(.+:\d+:\d+\)|QueryFailedError|TypeORM|\bSELECT\b|\bINSERT\b|relation "|syntax error|node_modules|\/src\//;

interface Failure {
  route: string;
  request: HostileRequest;
  status: number;
  body: string;
}

describe('hostile input on every route', () => {
  let t: TestApp;
  let operations: Operation[];
  const keys: Record<string, string> = {};
  const pools: IdPools = { byCollection: {}, cursors: {} };
  const failures: Failure[] = [];

  beforeAll(async () => {
    // Limits off: the fuzz would otherwise spend its requests on 429s instead of the routes.
    t = await startTestApp({ env: { RATE_LIMIT_WRITES_PER_MIN: '1000000', RATE_LIMIT_AUTH_PER_MIN: '1000000' } });
    operations = operationsOf((await t.http().get('/docs-json').expect(200)).body);

    const { manufacturerId, modelId } = await seedModel(t);
    const devices = [];
    for (let i = 0; i < 3; i++) devices.push(await createDevice(t, modelId, { firmwareVersion: '1.0' }));
    const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
    const user = await t
      .api()
      .post('/api/v1/users')
      .send({ email: `fuzz-${randomUUID().slice(0, 8)}@hospital.example`, displayName: 'Fuzz Target', role: 'biomed', password: 'infusion-pump-7Q!-ledger' })
      .expect(201);
    const spareKeys = await t.api().get('/api/v1/api-keys').expect(200);
    keys.admin = t.adminKey;
    keys.manufacturer = await createKey(t, 'manufacturer', manufacturerId);
    keys.it = await createKey(t, 'it');
    keys.biomed = await createKey(t, 'biomed');
    const disposable = await t.api().post('/api/v1/api-keys').send({ name: 'fuzz target', role: 'it' }).expect(201);
    pools.byCollection = {
      manufacturers: [manufacturerId],
      models: [modelId],
      devices: devices.map((d) => d.id),
      advisories: [advisory.id],
      users: [user.body.id],
      'api-keys': [disposable.body.id ?? spareKeys.body[0]?.id].filter(Boolean),
    };
    await eventually(async () => expect((await t.api().get('/api/v1/findings?status=open').expect(200)).body.items.length).toBe(3));
    // Cursors the API hands out, to forge from: every listing with a page size, asked for one row.
    for (const op of operations.filter((o) => o.method === 'get' && o.pathParams.length === 0)) {
      const size = op.queryParams.find((p) => p.name === 'limit' || p.name === '_count');
      if (!size) continue;
      const res = await t.api().get(`${op.path}?${size.name}=1`);
      pools.cursors[op.path] = [...(res.text as string).matchAll(/"nextCursor":"([^"]+)"|_cursor=([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? m[2]);
    }
  });
  afterAll(async () => {
    // FUZZ_REPORT=<file>: every failing request in full, to replay.
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(failures, null, 1));
    await t?.close();
  });

  it('answers no 5xx to any of them', async () => {
    const examples = { '/api/v1/advisories/csaf': () => withTrackingId(csafFixture('icsma-21-012-01'), `FUZZ-${randomUUID().slice(0, 8)}`) };
    const roles = ['admin', 'admin', 'admin', 'manufacturer', 'it', 'biomed'];
    let sent = 0;
    const started = Date.now();
    console.log(
      `input fuzz: seed ${SEED}, ${operations.reduce((n, op) => n + runsFor(op), 0)} runs over ${operations.length} routes, ${Object.values(pools.cursors).flat().length} harvested cursors`,
    );
    for (const [index, op] of operations.entries()) {
      // Generated up front from the seed, then sent a few at a time: the same requests every run.
      const requests = fc.sample(hostileRequests(op, pools, roles, examples), { seed: SEED + index, numRuns: runsFor(op) });
      await inBatches(requests, CONCURRENCY, async (req) => {
        const res = await send(req);
        sent++;
        const text = res.text ?? '';
        if (process.env.FUZZ_TRACE) console.log(res.status, req.method, req.url, req.body?.slice(0, 200), text.slice(0, 150));
        if (res.status >= 500 || INTERNALS.test(text))
          failures.push({ route: `${op.method.toUpperCase()} ${op.path}`, request: req, status: res.status, body: text.slice(0, 300) });
      });
    }
    console.log(`input fuzz: ${sent} requests in ${Date.now() - started} ms, ${failures.length} answered 5xx or showed internals`);
    expect(summarise(failures)).toEqual([]);
  }, 180_000);

  function send(req: HostileRequest) {
    const call = t.api(keys[req.role])[req.method](req.url);
    return req.body === undefined ? call : call.set('Content-Type', 'application/json').send(req.body);
  }
});

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CSAF documents are read loosely
function withTrackingId(doc: Record<string, any>, id: string) {
  doc.document.tracking.id = id;
  return doc;
}

/** One line per route and status with its first example, so a report reads at a glance. */
function summarise(failures: Failure[]): string[] {
  const byRoute = new Map<string, { count: number; first: Failure }>();
  for (const f of failures) {
    const key = `${f.route} -> ${f.status}`;
    const seen = byRoute.get(key);
    if (seen) seen.count++;
    else byRoute.set(key, { count: 1, first: f });
  }
  return [...byRoute.entries()].map(
    ([key, { count, first }]) =>
      `${key} (${count}x), e.g. ${first.request.method.toUpperCase()} ${first.request.url}${first.request.body ? ` body ${first.request.body.slice(0, 400)}` : ''} as ${first.request.role}`,
  );
}
