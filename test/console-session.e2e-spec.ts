import { get as httpGet, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createKey, seedModel } from './factories/inventory.factory';
import { createPerson, enrol, login, nextCode, Person, TEST_DATA_KEY } from './factories/user.factory';
import { startTestApp, TestApp } from './support/test-app';

const CONSOLE = { 'X-IoMT-Console': '1' };

describe('console: cookie sessions, CSRF defence and the event stream', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const server = () => t.app.getHttpServer();

  /** An enrolled person signed in the console's way: answers the Cookie header to send back. */
  async function consoleSignIn(person: Person, headers: Record<string, string> = CONSOLE): Promise<{ cookie: string; res: request.Response }> {
    const started = await login(t, person).expect(200);
    const res = await request(server())
      .post('/api/v1/console/session')
      .set(headers)
      .send({ challengeToken: started.body.challengeToken, code: await nextCode(person) });
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
    return { cookie: setCookie.split(';')[0], res };
  }

  async function enrolledPerson(role: string, manufacturerId?: string): Promise<Person> {
    const person = await createPerson(t, role, { manufacturerId });
    await enrol(t, person);
    return person;
  }

  it('signs a person in with a TOTP code and answers an httpOnly SameSite=Strict cookie, never the token', async () => {
    const person = await enrolledPerson('biomed');
    const { res } = await consoleSignIn(person);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      expiresAt: expect.any(String),
      user: { kind: 'user', id: person.id, name: person.email, role: 'biomed', manufacturerId: null },
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^iomt_session=iomts_[^;]+; Path=\/api\/v1; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(JSON.stringify(res.body)).not.toContain('iomts_');
  });

  it('marks the cookie Secure when the browser came through a TLS proxy', async () => {
    const person = await enrolledPerson('it');
    const { res } = await consoleSignIn(person, { ...CONSOLE, 'X-Forwarded-Proto': 'https' });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('refuses the sign-in step without the console header (no login CSRF), naming the header', async () => {
    const person = await enrolledPerson('it');
    const { res } = await consoleSignIn(person, {});
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('x-iomt-console: a write with the session cookie must carry "x-iomt-console: 1"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('enrols a new person through the console: cookie and ten recovery codes', async () => {
    const person = await createPerson(t, 'it');
    const started = await login(t, person).expect(200);
    const enrolment = await request(server()).post('/api/v1/auth/mfa/enroll').send({ challengeToken: started.body.challengeToken }).expect(200);
    person.secret = enrolment.body.secret;
    const res = await request(server())
      .post('/api/v1/console/session/enrolment')
      .set(CONSOLE)
      .send({ challengeToken: started.body.challengeToken, code: await nextCode(person) })
      .expect(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(res.body.user.role).toBe('it');
    expect(String(res.headers['set-cookie'])).toMatch(/^iomt_session=iomts_.+HttpOnly; SameSite=Strict$/);
  });

  it('refuses a wrong code with the second-factor error and sets no cookie', async () => {
    const person = await enrolledPerson('it');
    const started = await login(t, person).expect(200);
    const res = await request(server()).post('/api/v1/console/session').set(CONSOLE).send({ challengeToken: started.body.challengeToken, code: '000000' });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('names the field when neither a code nor a recovery code is given', async () => {
    const res = await request(server()).post('/api/v1/console/session').set(CONSOLE).send({ challengeToken: 'iomtc_abcdefghijklmnopqrstuvwxyz' }).expect(400);
    expect(res.body.message).toBe('code: give either code or recoveryCode');
  });

  describe('with a session cookie', () => {
    let biomed: Person;
    let cookie: string;

    beforeAll(async () => {
      biomed = await enrolledPerson('biomed');
      cookie = (await consoleSignIn(biomed)).cookie;
    });

    it('reads with the cookie alone', async () => {
      const me = await request(server()).get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
      expect(me.body).toMatchObject({ kind: 'user', id: biomed.id, role: 'biomed' });
    });

    it('writes with the cookie and the console header', async () => {
      await request(server())
        .post('/api/v1/manufacturers')
        .set('Cookie', cookie)
        .set(CONSOLE)
        .send({ name: `Cookie Maker ${Date.now()}` })
        .expect(201);
    });

    it('refuses a cookie write without the console header (a cross-site form post)', async () => {
      const res = await request(server()).post('/api/v1/manufacturers').set('Cookie', cookie).send({ name: 'Forged' }).expect(403);
      expect(res.body.message).toMatch(/^x-iomt-console: /);
    });

    it('refuses a cookie write from another origin even with the header', async () => {
      const res = await request(server())
        .post('/api/v1/manufacturers')
        .set('Cookie', cookie)
        .set(CONSOLE)
        .set('Origin', 'https://evil.example')
        .send({ name: 'Forged' })
        .expect(403);
      expect(res.body.message).toBe("Origin: https://evil.example is not this service's origin");
    });

    it('accepts a cookie write from its own origin', async () => {
      const origin = `http://127.0.0.1:${(server().address() as AddressInfo | null)?.port ?? 0}`;
      const res = await request(server())
        .post('/api/v1/manufacturers')
        .set('Cookie', cookie)
        .set(CONSOLE)
        .set('Host', new URL(origin).host)
        .set('Origin', origin)
        .send({ name: `Same origin ${Date.now()}` });
      expect(res.status).toBe(201);
    });

    it('keeps a bearer API key working unchanged, without any console header', async () => {
      const key = await createKey(t, 'biomed');
      await request(server())
        .post('/api/v1/manufacturers')
        .set('Authorization', `Bearer ${key}`)
        .send({ name: `Bearer Maker ${Date.now()}` })
        .expect(201);
    });

    it('still applies roles: a cookie of an it person cannot register a device', async () => {
      const it = await enrolledPerson('it');
      const itCookie = (await consoleSignIn(it)).cookie;
      const { modelId } = await seedModel(t);
      const res = await request(server()).post('/api/v1/devices').set('Cookie', itCookie).set(CONSOLE).send({ modelId, serialNumber: 'SN-IT-1' }).expect(403);
      expect(res.body.message).toBe('Role it may not POST this resource');
    });

    it('never takes an API key from the cookie', async () => {
      const key = await createKey(t, 'admin');
      await request(server()).get('/api/v1/auth/me').set('Cookie', `iomt_session=${key}`).expect(401);
    });

    it('signs out: the session ends, the cookie is cleared, and the old cookie is refused', async () => {
      const person = await enrolledPerson('it');
      const own = (await consoleSignIn(person)).cookie;
      const res = await request(server()).delete('/api/v1/console/session').set('Cookie', own).set(CONSOLE).expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(/^iomt_session=; Path=\/api\/v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
      await request(server()).get('/api/v1/auth/me').set('Cookie', own).expect(401);
    });

    it('refuses signing out by cookie without the console header', async () => {
      await request(server()).delete('/api/v1/console/session').set('Cookie', cookie).expect(403);
      await request(server()).get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
    });
  });

  describe('event stream', () => {
    /** Opens the stream and collects its raw text until `until` matches it. */
    function openStream(headers: Record<string, string>): Promise<{ res: IncomingMessage; text: () => string; close: () => void }> {
      const port = (t.app.getHttpServer().listening ? (t.app.getHttpServer().address() as AddressInfo).port : 0) || 0;
      return new Promise((resolve, reject) => {
        const req = httpGet({ host: '127.0.0.1', port, path: '/api/v1/events/stream', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          resolve({ res, text: () => text, close: () => req.destroy() });
        });
        req.on('error', reject);
      });
    }

    beforeAll(async () => {
      if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
    });

    it('sends a device registration to an it console as a `devices` event', async () => {
      const key = await createKey(t, 'it');
      const stream = await openStream({ Authorization: `Bearer ${key}` });
      try {
        expect(stream.res.statusCode).toBe(200);
        expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
        const { modelId } = await seedModel(t);
        const created = await t
          .api()
          .post('/api/v1/devices')
          .send({ modelId, serialNumber: `SN-SSE-${Date.now()}` })
          .expect(201);
        const deadline = Date.now() + 5000;
        while (!stream.text().includes(created.body.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        const event = stream
          .text()
          .split('\n\n')
          .find((e) => e.includes(created.body.id));
        expect(event).toBeDefined();
        expect(event).toMatch(/^event: devices\n/m);
        const data = JSON.parse(/^data: (.*)$/m.exec(event!)![1]);
        expect(data).toEqual({ type: 'devices', deviceIds: [created.body.id], truncated: false, reason: 'registered' });
      } finally {
        stream.close();
      }
    });

    it('refuses a manufacturer (it sees no devices)', async () => {
      const { manufacturerId } = await seedModel(t);
      const key = await createKey(t, 'manufacturer', manufacturerId);
      const stream = await openStream({ Authorization: `Bearer ${key}` });
      stream.close();
      expect(stream.res.statusCode).toBe(403);
    });

    it('refuses a caller without credentials', async () => {
      const stream = await openStream({});
      stream.close();
      expect(stream.res.statusCode).toBe(401);
    });
  });
});
