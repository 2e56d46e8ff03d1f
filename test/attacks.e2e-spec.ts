import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDevice, createManufacturer, seedModel } from './factories/inventory.factory';
import { client, createPerson, login, nextCode, personWithSession, signIn, TEST_DATA_KEY } from './factories/user.factory';
import { PasswordHasher } from '../src/users/password-hasher';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The attacks a security review tries, each with the exact answer expected. Every test speaks
 * from its own client address (X-Forwarded-For, trusted from the loopback proxy), so the real
 * default rate limit (10 login steps a minute per address and route) applies throughout.
 */
const ALLOWED_ORIGIN = 'https://cmms.hospital.example';
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;
const ghost = () => `ghost-${randomBytes(4).toString('hex')}@hospital.example`;

const INTERNALS = /\bat .+\(.+:\d+:\d+\)|QueryFailedError|TypeORM|\bSELECT\b|\bINSERT\b|\bUPDATE\b.+\bSET\b|relation "|syntax error|node_modules|\/src\//;
function expectCleanError(res: request.Response, status: number): void {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body).every((k) => ['statusCode', 'error', 'message', 'fields'].includes(k))).toBe(true);
  expect(res.body.statusCode).toBe(status);
  expect(JSON.stringify(res.body)).not.toMatch(INTERNALS);
}

describe('attacks', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, CORS_ORIGINS: ALLOWED_ORIGIN } });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("on people's login", () => {
    it('password without TOTP: no token, and the challenge is not a credential', async () => {
      const ip = freshIp();
      const { person } = await personWithSession(t, 'admin', {}, ip);
      const started = await login(t, person, ip).expect(200);
      expect(Object.keys(started.body).sort()).toEqual(['challengeToken', 'expiresAt', 'mfaRequired']);
      expect(started.body.mfaRequired).toBe('totp');
      for (const path of ['/api/v1/auth/me', '/api/v1/devices', '/api/v1/users']) {
        expectCleanError(await client(t, ip).get(path, started.body.challengeToken), 401);
      }
    });

    it('wrong TOTP code: 401 "Invalid code", no token', async () => {
      const ip = freshIp();
      const { person } = await personWithSession(t, 'biomed', {}, ip);
      const started = await login(t, person, ip).expect(200);
      const good = await nextCode(person);
      const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
      const res = await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: wrong });
      expectCleanError(res, 401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid code' });
    });

    it('brute-forced password: the fifth failure locks the account (423) for 15 minutes, even against the right password', async () => {
      const ip = freshIp();
      const { person } = await personWithSession(t, 'it', {}, ip);
      const earlier = await login(t, person, ip).expect(200);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await login(t, { email: person.email, password: `wrong-guess-${i}-zzz` }, ip)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 423]);
      const right = await login(t, person, ip);
      expectCleanError(right, 423);
      expect(right.body).toEqual({
        statusCode: 423,
        error: 'Locked',
        message: 'Too many failed attempts: this account is locked for 15 minutes. Try again later or ask an admin.',
      });
      // A challenge won before the lock dies with it.
      expectCleanError(await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: earlier.body.challengeToken, code: await nextCode(person) }), 401);
      const [{ seconds }] = await db.query(`SELECT extract(epoch FROM locked_until - now())::int AS seconds FROM users WHERE id = $1`, [person.id]);
      expect(seconds).toBeGreaterThan(14 * 60);
      expect(seconds).toBeLessThanOrEqual(15 * 60);
      const listed = await t.api().get('/api/v1/users').expect(200);
      expect(listed.body.find((u: { id: string }) => u.id === person.id).lockedUntil).not.toBeNull();
    });

    it('brute-forced TOTP: five wrong codes lock the account too', async () => {
      const ip = freshIp();
      const { person } = await personWithSession(t, 'it', {}, ip);
      const started = await login(t, person, ip).expect(200);
      const statuses: number[] = [];
      for (const code of ['000000', '111111', '222222', '333333', '444444']) {
        statuses.push((await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 423]);
      expectCleanError(await login(t, person, ip), 423);
    });

    it('user enumeration: an unknown email and a wrong password get the same 401 and the same argon2 work', async () => {
      // Compared by the work done, not by a stopwatch: a timing assertion in a shared CI box
      // flaked (the known path also writes the failure counter). One full argon2id check per
      // attempt, against a real hash, is what makes the two answers take the same time.
      const ip = freshIp();
      const person = await createPerson(t, 'biomed');
      const checks = jest.spyOn(t.app.get(PasswordHasher), 'verify');
      try {
        const attempt = async (email: string) => {
          checks.mockClear();
          const res = await login(t, { email, password: 'not-the-password-123' }, ip);
          expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
          expect(checks).toHaveBeenCalledTimes(1);
          const [hashChecked] = checks.mock.calls[0];
          expect(hashChecked).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
          return hashChecked;
        };
        const known = await attempt(person.email);
        const unknown = await attempt(ghost());
        expect(unknown).not.toBe(known);
      } finally {
        checks.mockRestore();
      }
    });

    it('user enumeration through lock-out: an unknown email "locks" after five failures like a real one', async () => {
      const ip = freshIp();
      const email = ghost();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(t, { email, password: `guess-number-${i}-zz` }, ip)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
    });

    it('replayed TOTP: a code accepted once is refused the second time', async () => {
      const ip = freshIp();
      const { person } = await personWithSession(t, 'biomed', {}, ip);
      const first = await login(t, person, ip).expect(200);
      const code = await nextCode(person);
      await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: first.body.challengeToken, code }).expect(200);
      const second = await login(t, person, ip).expect(200);
      const replay = await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: second.body.challengeToken, code });
      expect(replay.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid code' });
    });

    it('recovery codes work once each', async () => {
      const ip = freshIp();
      const { person, recoveryCodes } = await personWithSession(t, 'biomed', {}, ip);
      const first = await login(t, person, ip).expect(200);
      const used = await client(t, ip)
        .post('/api/v1/auth/mfa/verify', { challengeToken: first.body.challengeToken, recoveryCode: recoveryCodes[0].toUpperCase() })
        .expect(200);
      await client(t, ip).get('/api/v1/auth/me', used.body.accessToken).expect(200);
      const second = await login(t, person, ip).expect(200);
      const again = await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: second.body.challengeToken, recoveryCode: recoveryCodes[0] });
      expect(again.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid code' });
      await client(t, ip).post('/api/v1/auth/mfa/verify', { challengeToken: second.body.challengeToken, recoveryCode: recoveryCodes[1] }).expect(200);
      const [{ unused }] = await db.query(`SELECT count(*)::int AS unused FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [person.id]);
      expect(unused).toBe(8);
    });

    it('revoked token: after logout the token is refused (401)', async () => {
      const ip = freshIp();
      const { token } = await personWithSession(t, 'biomed', {}, ip);
      await client(t, ip).get('/api/v1/devices', token).expect(200);
      await client(t, ip).post('/api/v1/auth/logout', undefined, token).expect(204);
      expectCleanError(await client(t, ip).get('/api/v1/devices', token), 401);
      expectCleanError(await client(t, ip).post('/api/v1/auth/logout', undefined, token), 401);
    });

    it('disabled person: their sessions die at once, and login answers as for a wrong password', async () => {
      const ip = freshIp();
      const { person, token } = await personWithSession(t, 'biomed', {}, ip);
      await t.api().delete(`/api/v1/users/${person.id}`).expect(204);
      expectCleanError(await client(t, ip).get('/api/v1/auth/me', token), 401);
      const res = await login(t, person, ip);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
    });

    it('manufacturer person reading or writing the inventory: 403', async () => {
      const ip = freshIp();
      const { manufacturerId, modelId } = await seedModel(t);
      const device = await createDevice(t, modelId);
      const { token } = await personWithSession(t, 'manufacturer', { manufacturerId }, ip);
      for (const path of [
        '/api/v1/devices',
        `/api/v1/devices/${device.id}`,
        `/api/v1/devices/${device.id}/firmware-history`,
        '/api/v1/reports/outdated-firmware',
        '/api/v1/audit',
        '/api/v1/users',
      ]) {
        const res = await client(t, ip).get(path, token);
        expectCleanError(res, 403);
        expect(res.body.message).toContain('Role manufacturer may not GET');
      }
      expectCleanError(await client(t, ip).post('/api/v1/devices', { modelId, serialNumber: 'VENDOR-PLANTED' }, token), 403);
    });

    it('login flood: the 11th attempt in a minute from one address gets 429; another address is unaffected', async () => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await login(t, { email: ghost(), password: 'spray-password-2024' }, ip)).status);
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      const limited = await login(t, { email: ghost(), password: 'spray-password-2024' }, ip);
      expectCleanError(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await login(t, { email: ghost(), password: 'spray-password-2024' }, freshIp())).status).toBe(401);
    });
  });

  describe('expired session', () => {
    let short: TestApp;
    beforeAll(async () => {
      short = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, SESSION_TTL_S: '3' } });
    });
    afterAll(async () => {
      await short?.close();
    });

    it('a token past its expiry is refused (401)', async () => {
      const { token, expiresAt } = await personWithSession(short, 'biomed');
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(3_000);
      await client(short).get('/api/v1/auth/me', token).expect(200);
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 500));
      expectCleanError(await client(short).get('/api/v1/auth/me', token), 401);
    });
  });

  describe('on inputs', () => {
    let deviceId: string;
    let serial: string;
    beforeAll(async () => {
      const { modelId } = await seedModel(t);
      const device = await createDevice(t, modelId);
      deviceId = device.id;
      serial = device.serialNumber;
    });

    const INJECTIONS = [
      "' OR '1'='1",
      '1; DROP TABLE devices; --',
      "1' UNION SELECT key_hash FROM api_keys --",
      '../../../../etc/passwd',
      '..\\..\\..\\windows\\win.ini',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    ];

    it.each([
      ['GET', '/api/v1/devices/:x'],
      ['PATCH', '/api/v1/devices/:x'],
      ['GET', '/api/v1/manufacturers/:x'],
      ['GET', '/api/v1/models/:x'],
      ['GET', '/api/v1/advisories/:x'],
      ['DELETE', '/api/v1/users/:x'],
      ['DELETE', '/api/v1/api-keys/:x'],
      ['GET', '/api/v1/devices/:x/findings'],
    ])('SQL injection and path traversal in the path of %s %s: 400', async (method, route) => {
      for (const payload of INJECTIONS) {
        const path = route.replace(':x', encodeURIComponent(payload));
        const res = await (t.api() as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()](path).send({});
        expectCleanError(res, 400);
        expect(res.body.message).toBe('Validation failed (uuid is expected)');
      }
    });

    it('SQL injection in query strings: treated as data (no rows leak) or refused (400), never a 500', async () => {
      const q = (path: string) => t.api().get(path);
      for (const payload of ["' OR '1'='1", "' OR 1=1 --", '%', '_', "\\' OR 1=1"]) {
        const res = await q(`/api/v1/devices?q=${encodeURIComponent(payload)}`).expect(200);
        expect(res.body.items).toEqual([]);
      }
      expect((await q(`/api/v1/devices?q=${encodeURIComponent(serial)}`).expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([deviceId]);
      const audit = await q(`/api/v1/audit?entityType=${encodeURIComponent("device' OR '1'='1")}`).expect(200);
      expect(audit.body.items).toEqual([]);
      expect((await q(`/api/v1/audit?entityId=${encodeURIComponent("x'; DELETE FROM audit_log; --")}`).expect(200)).body.items).toEqual([]);
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
      const refused: Array<[string, string]> = [
        ['/api/v1/audit?cursor=99999999999999999999999', 'cursor: must be a nextCursor from this listing'],
        ['/api/v1/audit?cursor=1%20OR%201=1', 'cursor: must be a nextCursor from this listing'],
        ['/api/v1/devices?sort=serialNumber;DROP%20TABLE%20devices', 'sort: must be one of the following values: createdAt, lastSeenAt, serialNumber'],
        ['/api/v1/devices?limit=1%20OR%201=1', 'limit: must be a whole number from 1 to 500'],
        ['/api/v1/devices?cursor=%27%3B%20DROP%20TABLE%20devices%3B--', 'cursor: is not a cursor from this listing (same sort) or is damaged'],
        // Well-formed JSON with a forged timestamp: PostgreSQL's cast would have been a 500.
        [
          `/api/v1/devices?cursor=${Buffer.from(JSON.stringify(['createdAt', "2026-01-01' OR '1'='1", deviceId])).toString('base64url')}`,
          'cursor: is not a cursor from this listing (same sort) or is damaged',
        ],
        [
          `/api/v1/devices?sort=lastSeenAt&cursor=${Buffer.from(JSON.stringify(['lastSeenAt', '2026-02-30T00:00:00.000Z', deviceId])).toString('base64url')}`,
          'cursor: is not a cursor from this listing (same sort) or is damaged',
        ],
        ['/api/v1/devices?q[$ne]=x', 'q[$ne]: is not an allowed field'],
        ['/api/v1/devices?q=a%00b', 'query: must not contain NUL characters'],
        ['/api/v1/findings?deviceId=..%2F..%2Fetc%2Fpasswd', 'deviceId: must be a UUID'],
        ['/api/v1/reports/outdated-firmware?manufacturerId=%27%20OR%20%271%27%3D%271', 'manufacturerId: must be a UUID'],
      ];
      for (const [path, message] of refused) {
        const res = await q(path);
        expectCleanError(res, 400);
        expect({ path, message: res.body.message }).toEqual({ path, message });
      }
    });

    it('SQL injection in bodies: stored as plain data or refused (400), never executed', async () => {
      const name = `Robert'); DROP TABLE devices; -- ${randomBytes(3).toString('hex')}`;
      const created = await createManufacturer(t, { name });
      expect(created.name).toBe(name);
      expect((await t.api().get(`/api/v1/manufacturers/${created.id}`).expect(200)).body.name).toBe(name);
      await t.api().get(`/api/v1/devices/${deviceId}`).expect(200);
      const badModel = await t.api().post('/api/v1/devices').send({ modelId: "' OR 1=1 --", serialNumber: 'X' });
      expectCleanError(badModel, 400);
      expect(badModel.body.message).toBe('modelId: must be a UUID');
      const ip = freshIp();
      const sqlLogin = await login(t, { email: "admin@hospital.example' OR '1'='1' --", password: "x' OR 'x'='x" }, ip);
      expect(sqlLogin.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
      const operatorLogin = await client(t, ip).post('/api/v1/auth/login', { email: { $ne: null }, password: { $gt: '' } });
      expectCleanError(operatorLogin, 400);
      expect(operatorLogin.body.message).toContain('email: must be a string');
    });

    it('path traversal strings in bodies are data, not paths', async () => {
      const { modelId } = await seedModel(t);
      const res = await t
        .api()
        .post('/api/v1/devices')
        .send({
          modelId,
          serialNumber: `../../etc/passwd-${randomBytes(3).toString('hex')}`,
          location: '../../../../etc/shadow',
          department: '..\\..\\boot.ini',
        })
        .expect(201);
      expect(res.body).toMatchObject({ location: '../../../../etc/shadow', department: '..\\..\\boot.ini' });
    });

    it('NUL characters and __proto__ keys in bodies: 400 before any route sees them', async () => {
      const nul = await t.api().post('/api/v1/manufacturers').send({ name: 'Acme\u0000Medical' });
      expectCleanError(nul, 400);
      expect(nul.body.message).toBe('body: must not contain NUL characters');
      const proto = await t
        .api()
        .post('/api/v1/api-keys')
        .set('Content-Type', 'application/json')
        .send('{"name":"x","role":"it","__proto__":{"role":"admin"}}');
      expectCleanError(proto, 400);
      expect(proto.body.message).toBe('__proto__: is not an allowed field');
      expect(({} as Record<string, unknown>).role).toBeUndefined();
    });

    it('path traversal in the URL: 404, never a file', async () => {
      for (const path of [
        '/docs/..%2f..%2f..%2fpackage.json',
        '/docs/%2e%2e/%2e%2e/package.json',
        '/docs/../../package.json',
        '/api/v1/../../../etc/passwd',
        '/api/v1/%2e%2e/%2e%2e/etc/passwd',
        '/health/..%2f..%2f.env',
      ]) {
        const res = await t.http().get(path);
        expectCleanError(res, 404);
        expect(res.text).not.toContain('iomt-inventory');
      }
    });

    it.each(['/api/v1/api-keys', '/api/v1/manufacturers', '/api/v1/auth/login'])('oversized JSON to %s: 413', async (path) => {
      const res = await t
        .api()
        .post(path)
        .send({ name: 'x'.repeat(2 * 1024 * 1024), email: 'a@b.c', password: 'x' });
      expectCleanError(res, 413);
      expect(res.body.message).toBe('body: request body is larger than the allowed limit');
    });

    it.each(['/api/v1/api-keys', '/api/v1/devices', '/api/v1/advisories', '/api/v1/auth/login', '/api/v1/auth/mfa/verify'])(
      'JSON nested 10,000 levels deep to %s: 400, and the service keeps serving',
      async (path) => {
        const body = `{"name":"x","deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
        const res = await t.api().post(path).set('Content-Type', 'application/json').send(body);
        expectCleanError(res, 400);
        expect(res.body.message).toBe('body: is nested more than 64 levels deep');
        await t.http().get('/health').expect(200);
      },
    );

    it('an unexpected failure (a database error) answers 500 with no stack and no SQL', async () => {
      await db.query(`ALTER TABLE manufacturers RENAME TO manufacturers_moved`);
      try {
        const res = await t.api().get('/api/v1/manufacturers');
        expectCleanError(res, 500);
        expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
      } finally {
        await db.query(`ALTER TABLE manufacturers_moved RENAME TO manufacturers`);
      }
      await t.api().get('/api/v1/manufacturers').expect(200);
    });
  });

  describe('on the browser surface', () => {
    it('CORS: a preflight from an unlisted origin gets no CORS grant; a listed origin does', async () => {
      const evil = await t
        .http()
        .options('/api/v1/devices')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const evilGet = await t.api().get('/api/v1/devices').set('Origin', 'https://evil.example').expect(200);
      expect(evilGet.headers['access-control-allow-origin']).toBeUndefined();
      const good = await t
        .http()
        .options('/api/v1/devices')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(good.status).toBe(204);
      expect(good.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(good.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('security headers on API answers, and no caching of tokens', async () => {
      const ip = freshIp();
      const person = await createPerson(t, 'it');
      const res = await login(t, person, ip).expect(200);
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
      // Nothing revalidates a no-store answer, so none carries a hash of its body.
      expect(res.headers.etag).toBeUndefined();
    });
  });

  it('signs in normally after all that', async () => {
    const ip = freshIp();
    const { person } = await personWithSession(t, 'biomed', {}, ip);
    await client(t, ip)
      .get('/api/v1/auth/me', await signIn(t, person, ip))
      .expect(200);
  });
});
