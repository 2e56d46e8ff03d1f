import { startTestApp, TestApp } from './support/test-app';

describe('foundation: health, docs and API-key auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports database and broker up on /health without credentials', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.info).toEqual({ database: { status: 'up' }, mqtt: { status: 'up' } });
  });

  it('serves the Swagger UI at /docs and the OpenAPI document at /docs-json without credentials', async () => {
    await t.http().get('/docs').expect(200).expect('Content-Type', /html/);
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/api-keys');
  });

  it('answers 401 without a key on every documented route outside health and docs', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    const routes: Array<[string, string]> = [];
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.body.paths)) {
      for (const method of Object.keys(ops)) routes.push([method, path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')]);
    }
    // Public by design: health, and the login steps that lead to a session (they refuse bad input themselves).
    // The console's sign-in steps are the same login for a browser (docs/console.md).
    const PUBLIC = new Set([
      '/health',
      '/api/v1/auth/login',
      '/api/v1/auth/mfa/enroll',
      '/api/v1/auth/mfa/enroll/confirm',
      '/api/v1/auth/mfa/verify',
      '/api/v1/console/session/enrolment',
    ]);
    const guarded = routes.filter(([m, p]) => !PUBLIC.has(p) && !(m === 'post' && p === '/api/v1/console/session'));
    expect(guarded.length).toBeGreaterThan(3);
    for (const [method, path] of guarded) {
      const res = await (t.http() as unknown as Record<string, (p: string) => Promise<{ status: number; body: { error: string } }>>)[method](path);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      expect(res.body.error).toBe('Unauthorized');
    }
  });

  it('answers 401 for a wrong, malformed or revoked key', async () => {
    await t.http().get('/api/v1/api-keys').set('Authorization', 'Bearer iomt_not-a-real-key-at-all-000000').expect(401);
    await t.http().get('/api/v1/api-keys').set('Authorization', 'Basic abc').expect(401);
    await t.http().get('/api/v1/api-keys').set('Authorization', 'Bearer').expect(401);
    const created = await t.api().post('/api/v1/api-keys').send({ name: 'short-lived', role: 'it' }).expect(201);
    await t.api(created.body.key).get('/metrics').expect(200);
    await t.api().delete(`/api/v1/api-keys/${created.body.id}`).expect(204);
    await t.api(created.body.key).get('/metrics').expect(401);
  });

  it('issues a key whose secret is shown once and never listed', async () => {
    const created = await t.api().post('/api/v1/api-keys').send({ name: 'biomed tablet', role: 'biomed' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^iomt_[A-Za-z0-9_-]{43}$/), role: 'biomed', manufacturerId: null });
    const list = await t.api().get('/api/v1/api-keys').expect(200);
    const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'biomed tablet', role: 'biomed', keyPrefix: created.body.key.slice(0, 10), revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(listed).not.toHaveProperty('keyHash');
  });

  it('answers 403 when a non-admin role manages keys', async () => {
    for (const role of ['biomed', 'it']) {
      const { body } = await t
        .api()
        .post('/api/v1/api-keys')
        .send({ name: `${role} key`, role })
        .expect(201);
      const res = await t.api(body.key).get('/api/v1/api-keys').expect(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining(role) });
      await t.api(body.key).post('/api/v1/api-keys').send({ name: 'escalate', role: 'admin' }).expect(403);
    }
  });

  it('rejects bad key requests with a 400 that names the field', async () => {
    const unknownRole = await t.api().post('/api/v1/api-keys').send({ name: 'x', role: 'root' }).expect(400);
    expect(unknownRole.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('role: must be one of') });
    const extra = await t.api().post('/api/v1/api-keys').send({ name: 'x', role: 'it', isAdmin: true }).expect(400);
    expect(extra.body.message).toContain('isAdmin: is not an allowed field');
    const noName = await t.api().post('/api/v1/api-keys').send({ role: 'it' }).expect(400);
    expect(noName.body.message).toContain('name:');
    const noManufacturer = await t.api().post('/api/v1/api-keys').send({ name: 'vendor', role: 'manufacturer' }).expect(400);
    expect(noManufacturer.body.message).toContain('manufacturerId');
    const notJson = await t.api().post('/api/v1/api-keys').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(notJson.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'body: is not valid JSON' });
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = { name: 'x'.repeat(2 * 1024 * 1024), role: 'it' };
    const res = await t.api().post('/api/v1/api-keys').send(huge).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, message: expect.stringContaining('larger than the allowed limit') });
  });

  it('answers 404 for a key id that does not exist and 400 for one that is not a uuid', async () => {
    await t.api().delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000').expect(404);
    const bad = await t.api().delete('/api/v1/api-keys/not-a-uuid').expect(400);
    expect(bad.body.statusCode).toBe(400);
  });

  it('records key creation and revocation in the audit log with the acting key', async () => {
    const { body } = await t.api().post('/api/v1/api-keys').send({ name: 'audited', role: 'it' }).expect(201);
    await t.api().delete(`/api/v1/api-keys/${body.id}`).expect(204);
    const audit = await t.api().get(`/api/v1/audit?entityType=api_key&entityId=${body.id}`).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['revoke', 'create']);
    expect(audit.body.items[0]).toMatchObject({ actorName: 'bootstrap admin', actorKind: 'api-key' });
  });

  it('serves Prometheus metrics to it and admin only', async () => {
    const res = await t.api().get('/metrics').expect(200);
    expect(res.text).toContain('iomt_process_');
    const { body } = await t.api().post('/api/v1/api-keys').send({ name: 'biomed', role: 'biomed' }).expect(201);
    await t.api(body.key).get('/metrics').expect(403);
  });

  it('returns a request id on every response and keeps a sane caller-provided one', async () => {
    const res = await t.http().get('/health').set('X-Request-Id', 'trace-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
    const generated = await t.http().get('/health').set('X-Request-Id', 'bad id with spaces!').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
