import { DataSource } from 'typeorm';
import { createKey, createManufacturer } from './factories/inventory.factory';
import { client, createPerson, enrol, GOOD_PASSWORD, login, nextCode, personWithSession, signIn, TEST_DATA_KEY } from './factories/user.factory';
import { startTestApp, TestApp } from './support/test-app';

describe('people: accounts, MFA login, sessions', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('accounts (admin)', () => {
    it('creates a person and answers them without any secret', async () => {
      const res = await t
        .api()
        .post('/api/v1/users')
        .send({ email: 'Ada.Lovelace@Hospital.example', displayName: 'Ada Lovelace', role: 'it', password: GOOD_PASSWORD })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: 'ada.lovelace@hospital.example',
        displayName: 'Ada Lovelace',
        role: 'it',
        manufacturerId: null,
        mfaEnrolled: false,
        lockedUntil: null,
        createdAt: expect.any(String),
        disabledAt: null,
        lastLoginAt: null,
      });
      const list = await t.api().get('/api/v1/users').expect(200);
      expect(list.body.map((u: { email: string }) => u.email)).toContain('ada.lovelace@hospital.example');
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash|totpSecret|infusion-pump/);
    });

    it('refuses a second account for the same email in another case with 409', async () => {
      await t.api().post('/api/v1/users').send({ email: 'dup@hospital.example', displayName: 'Dup One', role: 'it', password: GOOD_PASSWORD }).expect(201);
      const res = await t
        .api()
        .post('/api/v1/users')
        .send({ email: 'DUP@hospital.example', displayName: 'Dup Two', role: 'it', password: GOOD_PASSWORD })
        .expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'email: a user with this email already exists' });
    });

    it.each([
      ['short-Pw1!', 'password: must be at least 12 characters'],
      ['Password2024!', 'password: is too common: a common word with digits or symbols around it'],
      ['123456789012', 'password: is a keyboard or alphabet sequence'],
      ['grace-hopper-rocks', 'password: must not contain your email or name'],
    ])('refuses the weak password %j with a 400 that names the field', async (password, message) => {
      const res = await t
        .api()
        .post('/api/v1/users')
        .send({ email: 'grace.hopper@hospital.example', displayName: 'Grace Hopper', role: 'biomed', password })
        .expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    });

    it('binds the manufacturer role to an existing manufacturer, and only that role', async () => {
      const base = { displayName: 'Vendor Person', password: GOOD_PASSWORD };
      const missing = await t
        .api()
        .post('/api/v1/users')
        .send({ ...base, email: 'v1@vendor.example', role: 'manufacturer' })
        .expect(400);
      expect(missing.body.message).toContain('manufacturerId');
      const unknown = await t
        .api()
        .post('/api/v1/users')
        .send({ ...base, email: 'v2@vendor.example', role: 'manufacturer', manufacturerId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      expect(unknown.body.message).toBe('manufacturerId: no manufacturer 00000000-0000-4000-8000-000000000000');
      const maker = await createManufacturer(t);
      const wrongRole = await t
        .api()
        .post('/api/v1/users')
        .send({ ...base, email: 'v3@vendor.example', role: 'biomed', manufacturerId: maker.id })
        .expect(400);
      expect(wrongRole.body.message).toBe('manufacturerId: only the manufacturer role is bound to a manufacturer');
      const ok = await t
        .api()
        .post('/api/v1/users')
        .send({ ...base, email: 'v4@vendor.example', role: 'manufacturer', manufacturerId: maker.id })
        .expect(201);
      expect(ok.body).toMatchObject({ role: 'manufacturer', manufacturerId: maker.id });
    });

    it('lets only admins manage people (403 for other roles, keys or sessions)', async () => {
      const itKey = await createKey(t, 'it');
      await t.api(itKey).get('/api/v1/users').expect(403);
      const { token } = await personWithSession(t, 'biomed');
      await client(t).get('/api/v1/users', token).expect(403);
      await client(t).post('/api/v1/users', { email: 'x@y.example', displayName: 'X', role: 'admin', password: GOOD_PASSWORD }, token).expect(403);
      await client(t).post('/api/v1/api-keys', { name: 'escalate', role: 'admin' }, token).expect(403);
    });
  });

  describe('login with mandatory TOTP', () => {
    it('asks a new person to enrol, gives an otpauth URI, and opens a 15-minute session with ten recovery codes on a valid code', async () => {
      const person = await createPerson(t, 'biomed');
      const started = await login(t, person).expect(200);
      expect(started.body).toEqual({ mfaRequired: 'enroll', challengeToken: expect.stringMatching(/^iomtc_[\w-]{43}$/), expiresAt: expect.any(String) });
      expect(Date.parse(started.body.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
      expect(Date.parse(started.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 5_000);

      const enrolment = await client(t).post('/api/v1/auth/mfa/enroll', { challengeToken: started.body.challengeToken }).expect(200);
      expect(enrolment.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      const uri = new URL(enrolment.body.otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.searchParams.get('secret')).toBe(enrolment.body.secret);
      expect(decodeURIComponent(uri.pathname)).toBe(`/IoMT Inventory:${person.email}`);

      person.secret = enrolment.body.secret;
      const confirmed = await client(t)
        .post('/api/v1/auth/mfa/enroll/confirm', { challengeToken: started.body.challengeToken, code: await nextCode(person) })
        .expect(200);
      expect(confirmed.body).toEqual({
        accessToken: expect.stringMatching(/^iomts_[\w-]{43}$/),
        expiresAt: expect.any(String),
        recoveryCodes: expect.any(Array),
      });
      expect(confirmed.body.recoveryCodes).toHaveLength(10);
      expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
      const ttl = Date.parse(confirmed.body.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(14 * 60_000);
      expect(ttl).toBeLessThanOrEqual(15 * 60_000 + 5_000);

      const me = await client(t).get('/api/v1/auth/me', confirmed.body.accessToken).expect(200);
      expect(me.body).toEqual({ kind: 'user', id: person.id, name: person.email, role: 'biomed', manufacturerId: null });
      await client(t).get('/api/v1/devices', confirmed.body.accessToken).expect(200);
    });

    it('asks an enrolled person for a TOTP code and opens a session for it', async () => {
      const { person } = await personWithSession(t, 'it');
      const started = await login(t, person).expect(200);
      expect(started.body.mfaRequired).toBe('totp');
      const verified = await client(t)
        .post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: await nextCode(person) })
        .expect(200);
      expect(verified.body).toEqual({ accessToken: expect.stringMatching(/^iomts_/), expiresAt: expect.any(String) });
      await client(t).get('/api/v1/reports/outdated-firmware', verified.body.accessToken).expect(200);
    });

    it('uses a challenge once: the same challenge after a successful verify is refused', async () => {
      const { person } = await personWithSession(t, 'it');
      const started = await login(t, person).expect(200);
      await client(t)
        .post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: await nextCode(person) })
        .expect(200);
      const again = await client(t).post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: '000000' }).expect(401);
      expect(again.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'The login challenge is invalid, used or expired: log in again' });
    });

    it('wants exactly one of code and recoveryCode', async () => {
      const { person, recoveryCodes } = await personWithSession(t, 'it');
      const started = await login(t, person).expect(200);
      const none = await client(t).post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken }).expect(400);
      expect(none.body.message).toBe('code: give either code or recoveryCode');
      await client(t)
        .post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: '123456', recoveryCode: recoveryCodes[0] })
        .expect(400);
      const malformed = await client(t).post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: '12ab56' }).expect(400);
      expect(malformed.body.message).toBe('code: must be the 6 digits shown by the authenticator app');
    });

    it("accepts an API key and a person's session side by side, and says which is which", async () => {
      const { person, token } = await personWithSession(t, 'admin');
      expect((await client(t).get('/api/v1/auth/me', token).expect(200)).body).toMatchObject({ kind: 'user', name: person.email, role: 'admin' });
      expect((await t.api().get('/api/v1/auth/me').expect(200)).body).toMatchObject({ kind: 'api-key', name: 'bootstrap admin', role: 'admin' });
    });

    it('ends a session on logout; logout with an API key is a 400', async () => {
      const { token } = await personWithSession(t, 'biomed');
      await client(t).post('/api/v1/auth/logout', undefined, token).expect(204);
      await client(t).get('/api/v1/auth/me', token).expect(401);
      const withKey = await t.api().post('/api/v1/auth/logout').expect(400);
      expect(withKey.body.message).toContain('revoke an API key');
    });

    it('resets a lost second factor (admin): sessions end and the next login enrols again', async () => {
      const { person, token } = await personWithSession(t, 'biomed');
      await t.api().post(`/api/v1/users/${person.id}/reset-mfa`).expect(204);
      await client(t).get('/api/v1/auth/me', token).expect(401);
      expect((await login(t, person).expect(200)).body.mfaRequired).toBe('enroll');
      const again = await enrol(t, person);
      await client(t).get('/api/v1/auth/me', again.token).expect(200);
    });
  });

  describe('what is stored', () => {
    it('keeps an argon2id password hash, a sealed TOTP secret, and only hashes of tokens and recovery codes', async () => {
      const { person, token, recoveryCodes } = await personWithSession(t, 'biomed');
      const [user] = await db.query(`SELECT password_hash, totp_secret FROM users WHERE id = $1`, [person.id]);
      expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(user.totp_secret).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(user.totp_secret).not.toContain(person.secret);
      const dump = JSON.stringify(
        await db.query(
          `SELECT * FROM users u LEFT JOIN user_sessions s ON s.user_id = u.id LEFT JOIN user_recovery_codes r ON r.user_id = u.id WHERE u.id = $1`,
          [person.id],
        ),
      );
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(6));
      for (const code of recoveryCodes) expect(dump).not.toContain(code);
      expect(dump).not.toContain(person.secret);
      expect(dump).not.toContain(person.password);
    });
  });

  describe('attribution', () => {
    it("records who acted: a person's changes, login and enrolment are in the audit log under their id and email", async () => {
      const { person, token } = await personWithSession(t, 'biomed');
      const maker = await client(t)
        .post('/api/v1/manufacturers', { name: `Made by a person ${person.id.slice(0, 8)}` }, token)
        .expect(201);
      const audit = await t.api().get(`/api/v1/audit?entityType=manufacturer&entityId=${maker.body.id}`).expect(200);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ action: 'create', actorKind: 'user', actorId: person.id, actorName: person.email });
      const own = await t.api().get(`/api/v1/audit?actorId=${person.id}`).expect(200);
      expect(own.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'login', 'mfa_enroll']);
      const created = await t.api().get(`/api/v1/audit?entityType=user&entityId=${person.id}&action=create`).expect(200);
      expect(created.body.items[0]).toMatchObject({ actorKind: 'api-key', actorName: 'bootstrap admin', changes: { email: person.email, role: 'biomed' } });
      expect(JSON.stringify(created.body)).not.toContain(person.password);
    });

    it('signs in again later with the next code', async () => {
      const { person } = await personWithSession(t, 'it');
      const token = await signIn(t, person);
      await client(t).get('/api/v1/auth/me', token).expect(200);
    });
  });
});
