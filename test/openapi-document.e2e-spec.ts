import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { OPENAPI_FILE } from '../src/openapi/openapi-file';
import { generateOpenApiDocument } from '../src/openapi/generate-openapi';
import { createAdvisory } from './factories/advisory.factory';
import { createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { TEST_DATA_KEY } from './factories/user.factory';
import { OpenApiDoc, resolveRef, SchemaNode, shapeMismatches, untypedSchemas } from './support/openapi-schemas';
import { startTestApp, TestApp } from './support/test-app';

interface Response {
  $ref?: string;
  description?: string;
  content?: Record<string, { schema?: SchemaNode; example?: unknown; examples?: Record<string, { value: unknown }> }>;
}
interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, Response>;
  requestBody?: Response;
  'x-roles'?: string[];
}

const ALL_ROLES = ['admin', 'biomed', 'it', 'manufacturer'];
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;
type Method = (typeof METHODS)[number];

describe('the OpenAPI document: a client can be generated from it', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  const operations: Array<{ method: Method; path: string; url: string; op: Operation }> = [];
  const operation = (method: Method, path: string): Operation => {
    const found = operations.find((o) => o.method === method && o.path === path);
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return found.op;
  };
  /** The schema a response declares for JSON (or FHIR JSON), `$ref`s followed. */
  const jsonSchemaOf = (response: Response): SchemaNode | undefined => {
    const content = resolveRef(doc, response).content ?? {};
    const schema = (content['application/json'] ?? content['application/fhir+json'])?.schema;
    return schema && resolveRef(doc, schema);
  };
  const examplesOf = (body: Response | undefined, type: string): unknown[] => {
    const media = body?.content?.[type];
    return [...(media?.example !== undefined ? [media.example] : []), ...Object.values(media?.examples ?? {}).map((e) => e.value)];
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY } });
    doc = (await t.http().get('/docs-json').expect(200)).body;
    for (const [path, byMethod] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = byMethod[method] as unknown as Operation | undefined;
        if (op) operations.push({ method, path, url: path.replace(/\{[^}]+\}/g, PLACEHOLDER_ID), op });
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives every field, parameter and body a real type: no untyped or property-less object anywhere', () => {
    expect(untypedSchemas(doc)).toEqual([]);
  });

  it('types nullable fields as what they hold when present, with nullable', () => {
    const device = resolveRef(doc, { $ref: '#/components/schemas/DeviceResponseDto' }) as SchemaNode;
    expect(device.properties?.firmwareVersion).toMatchObject({ type: 'string', nullable: true });
    expect(device.properties?.lastSeenAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(device.properties?.batteryPercent).toMatchObject({ type: 'number', nullable: true });
  });

  it('declares the schema of every success answer that has a body', () => {
    const missing = operations.flatMap(({ method, path, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => /^2/.test(status) && status !== '204')
        .flatMap(([status, response]) => {
          const content = resolveRef(doc, response).content;
          if (!content) return [`${method.toUpperCase()} ${path} ${status}: no content`];
          return Object.entries(content)
            .filter(([, media]) => !media.schema)
            .map(([type]) => `${method.toUpperCase()} ${path} ${status} ${type}: no schema`);
        }),
    );
    expect(missing).toEqual([]);
    expect(jsonSchemaOf(operation('get', '/api/v1/reports/summary').responses['200'])?.properties).toHaveProperty('bySeverity');
    expect(jsonSchemaOf(operation('get', '/api/v1/reports/exposure-unknown').responses['200'])?.type).toBe('array');
    expect(jsonSchemaOf(operation('get', '/api/v1/devices/{id}/firmware-status').responses['200'])?.properties).toHaveProperty('releasesBehind');
  });

  it('answers the reports, firmware status, a device and findings exactly as their schemas say', async () => {
    const maker = await createManufacturer(t);
    const model = await createModel(t, maker.id, { gtin: '00844588003288' });
    const [manufacturerId, modelId] = [maker.id, model.id];
    const exposed = (
      await t
        .api()
        .post('/api/v1/devices')
        .send({
          modelId,
          serialNumber: 'DOC-STATUS-1',
          firmwareVersion: '1.0.0',
          department: 'ICU',
          assetTag: 'DOC-TAG-1',
          udi: '(01)00844588003288(17)291231(10)LOT-1(21)DOC-STATUS-1',
        })
        .expect(201)
    ).body;
    expect(exposed.id).toBeDefined();
    await t.api().post('/api/v1/devices').send({ modelId, serialNumber: 'DOC-STATUS-2' }).expect(201);
    await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }] });
    await t.api().post(`/api/v1/models/${modelId}/firmware-releases`).send({ version: '2.0.0', securityFix: true }).expect(201);

    const answers: Array<[string, string]> = [
      ['/api/v1/reports/summary', '/api/v1/reports/summary'],
      ['/api/v1/reports/exposure-unknown', '/api/v1/reports/exposure-unknown'],
      ['/api/v1/reports/outdated-firmware', '/api/v1/reports/outdated-firmware'],
      ['/api/v1/devices/{id}/firmware-status', `/api/v1/devices/${exposed.id}/firmware-status`],
      ['/api/v1/devices/{id}', `/api/v1/devices/${exposed.id}`],
      ['/api/v1/findings', '/api/v1/findings'],
      ['/api/v1/fhir/Device', `/api/v1/fhir/Device?model=${encodeURIComponent(model.modelNumber)}`],
      ['/api/v1/fhir/Device/{id}', `/api/v1/fhir/Device/${exposed.id}`],
    ];
    for (const [path, url] of answers) {
      const schema = jsonSchemaOf(operation('get', path).responses['200']);
      const body = (await t.api().get(url).expect(200)).body;
      expect(Array.isArray(body) ? body.length : Object.keys(body).length).toBeGreaterThan(0);
      expect({ path, mismatches: schema ? shapeMismatches(doc, schema, body) : ['no schema'] }).toEqual({ path, mismatches: [] });
    }
  });

  it('documents 401 and 403 with the error shape on exactly the routes that need a token, and the roles each allows', async () => {
    const problems: string[] = [];
    for (const { method, path, url, op } of operations) {
      const res = await t.http()[method](url);
      const needsToken = res.status === 401;
      const name = `${method.toUpperCase()} ${path}`;
      if (!needsToken) {
        if (op.responses['401']) problems.push(`${name}: open, yet documents 401`);
        continue;
      }
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      // 403 wherever the role check can refuse someone (every route but who-am-I and logout).
      const refusesSomeRole = ALL_ROLES.some((role) => !op['x-roles']?.includes(role));
      for (const status of refusesSomeRole ? ['401', '403'] : ['401']) {
        const schema = op.responses[status] && jsonSchemaOf(op.responses[status]);
        if (!schema) problems.push(`${name}: no ${status} with a JSON schema`);
        else if (!['statusCode', 'error', 'message'].every((k) => schema.required?.includes(k)))
          problems.push(`${name}: ${status} is not {statusCode, error, message}`);
      }
      if (!op.security?.some((s) => 'bearer' in s)) problems.push(`${name}: no bearer security`);
      if (!op['x-roles']?.length) problems.push(`${name}: no x-roles`);
    }
    expect(problems).toEqual([]);
  });

  it('documents 400 with the error shape on every route that reads input, and each refuses a field it does not know with 400', async () => {
    const wrong: string[] = [];
    let documented = 0;
    for (const { method, path, url, op } of operations) {
      const readsQuery = (op as { parameters?: Array<{ in: string }> }).parameters?.some((p) => p.in === 'query');
      if (!op.requestBody && !readsQuery) continue;
      const schema = op.responses['400'] && jsonSchemaOf(op.responses['400']);
      if (!schema?.required?.includes('message')) {
        wrong.push(`${method.toUpperCase()} ${path}: no 400 with the error shape`);
        continue;
      }
      documented++;
      const res = op.requestBody ? await t.api()[method](url).send({ notAField: 1 }) : await t.api()[method](`${url}?notAField=1`);
      if (res.status !== 400 || res.body.error !== 'Bad Request' || typeof res.body.message !== 'string')
        wrong.push(`${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
    expect(documented).toBeGreaterThan(20);
  });

  it('refuses with 403 every role an operation does not list in x-roles', async () => {
    const maker = await createManufacturer(t);
    const keys: Record<string, string> = {
      admin: t.adminKey,
      biomed: await createKey(t, 'biomed'),
      it: await createKey(t, 'it'),
      manufacturer: await createKey(t, 'manufacturer', maker.id),
    };
    const wrong: string[] = [];
    let refusals = 0;
    for (const { method, path, url, op } of operations) {
      for (const role of Object.keys(keys).filter((r) => op['x-roles'] && !op['x-roles'].includes(r))) {
        const res = await t.api(keys[role])[method](url);
        refusals++;
        if (res.status !== 403) wrong.push(`${method.toUpperCase()} ${path} as ${role}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every route but who-am-I and logout refuses some role, and the manufacturer role most of them.
    expect(refusals).toBeGreaterThan(operations.length);
  });

  it('documents 409 with the error shape on every route that refuses a duplicate', async () => {
    const maker = await createManufacturer(t, { aliases: [`Alias ${Date.now()}`] });
    const other = await createManufacturer(t);
    const model = await createModel(t, maker.id, { gtin: '00614141000418' });
    const otherModel = await createModel(t, maker.id);
    await t.api().post('/api/v1/devices').send({ modelId: model.id, serialNumber: 'DUP-1', assetTag: 'DUP-TAG-1' }).expect(201);
    const otherDevice = (await t.api().post('/api/v1/devices').send({ modelId: model.id, serialNumber: 'DUP-2' }).expect(201)).body;
    await t.api().post(`/api/v1/models/${model.id}/firmware-releases`).send({ version: '2.0.0' }).expect(201);
    const user = { email: `dup-${Date.now()}@hospital.example`, displayName: 'Dup Licate', role: 'it', password: 'infusion-pump-7Q!-ledger' };
    await t.api().post('/api/v1/users').send(user).expect(201);

    const duplicates: Array<[Method, string, string, object]> = [
      ['post', '/api/v1/manufacturers', '/api/v1/manufacturers', { name: maker.name }],
      ['patch', '/api/v1/manufacturers/{id}', `/api/v1/manufacturers/${other.id}`, { name: maker.name }],
      ['post', '/api/v1/models', '/api/v1/models', { manufacturerId: maker.id, modelNumber: model.modelNumber, name: 'Twin', category: 'facility' }],
      ['patch', '/api/v1/models/{id}', `/api/v1/models/${otherModel.id}`, { gtin: '00614141000418' }],
      ['post', '/api/v1/devices', '/api/v1/devices', { modelId: model.id, serialNumber: 'DUP-1' }],
      ['patch', '/api/v1/devices/{id}', `/api/v1/devices/${otherDevice.id}`, { assetTag: 'DUP-TAG-1' }],
      ['post', '/api/v1/models/{id}/firmware-releases', `/api/v1/models/${model.id}/firmware-releases`, { version: '2.0.0' }],
      ['post', '/api/v1/users', '/api/v1/users', user],
    ];
    const undocumented: string[] = [];
    for (const [method, path, url, body] of duplicates) {
      const res = await t.api()[method](url).send(body);
      expect({ path, method, status: res.status, body: res.body }).toEqual({
        path,
        method,
        status: 409,
        body: { statusCode: 409, error: 'Conflict', message: expect.any(String) },
      });
      const documented = operation(method, path).responses['409'];
      if (!documented || !jsonSchemaOf(documented)?.required?.includes('statusCode')) undocumented.push(`${method.toUpperCase()} ${path}`);
    }
    // Refused only when another request registers the same thing meanwhile: documented, not provoked here.
    for (const [method, path] of [
      ['post', '/api/v1/devices/import'],
      ['post', '/api/v1/advisories/csaf'],
    ] as const) {
      if (!operation(method, path).responses['409']) undocumented.push(`${method.toUpperCase()} ${path}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('describes the bearer token as the opaque API key or session token it is, not a JWT', () => {
    const schemes = (doc.components as { securitySchemes?: Record<string, Record<string, string>> }).securitySchemes ?? {};
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.bearer.bearerFormat).not.toMatch(/jwt/i);
    expect(schemes.bearer.bearerFormat).toContain('iomt_');
    expect(t.adminKey.startsWith('iomt_')).toBe(true);
  });

  it('shows a CSV and a FHIR Bundle example for the device import, and both import as shown', async () => {
    const body = operation('post', '/api/v1/devices/import').requestBody;
    const [csv] = examplesOf(body, 'text/csv') as string[];
    const [bundle] = examplesOf(body, 'application/fhir+json') as Array<{
      resourceType: string;
      entry: Array<{ resource: { manufacturer: string; modelNumber: string } }>;
    }>;
    expect(typeof csv).toBe('string');
    expect(bundle?.resourceType).toBe('Bundle');

    // The catalogue must hold the models the examples name, as it would in a hospital.
    const csvRows = parse(csv, { columns: true }) as Array<{ manufacturer: string; modelNumber: string }>;
    const named = [...csvRows, ...bundle.entry.map((e) => e.resource)];
    const makers = new Map<string, string>();
    for (const { manufacturer, modelNumber } of named) {
      if (!makers.has(manufacturer)) makers.set(manufacturer, (await createManufacturer(t, { name: manufacturer })).id);
      const existing = await t
        .api()
        .get(`/api/v1/models?manufacturerId=${makers.get(manufacturer)}`)
        .expect(200);
      const items = (existing.body.items ?? existing.body) as Array<{ modelNumber: string }>;
      if (!items.some((m) => m.modelNumber === modelNumber)) await createModel(t, makers.get(manufacturer)!, { modelNumber });
    }

    const fromCsv = await t.api().post('/api/v1/devices/import').set('Content-Type', 'text/csv').send(csv);
    expect({ status: fromCsv.status, body: fromCsv.body }).toEqual({ status: 201, body: { imported: csvRows.length, ids: expect.any(Array) } });
    const fromBundle = await t.api().post('/api/v1/devices/import').set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
    expect({ status: fromBundle.status, body: fromBundle.body }).toEqual({ status: 201, body: { imported: bundle.entry.length, ids: expect.any(Array) } });
  });

  it('is committed as docs/openapi.json, equal to what the generator writes without a database and to what the service serves', async () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', OPENAPI_FILE), 'utf8'));
    const generated = JSON.parse(JSON.stringify(await generateOpenApiDocument()));
    // On failure: run `npm run openapi` and commit docs/openapi.json.
    expect(generated).toEqual(committed);
    expect(doc).toEqual(committed);
  });
});
