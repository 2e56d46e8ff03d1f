import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import request from 'supertest';
import { TestApp } from '../support/test-app';

/** A data key for the app under test (tests always set IOMT_DATA_KEY, as production should). */
export const TEST_DATA_KEY = randomBytes(32).toString('base64');
export const GOOD_PASSWORD = 'infusion-pump-7Q!-ledger';

const PERIOD_S = 30;
const unique = () => randomBytes(4).toString('hex');

export interface Person {
  id: string;
  email: string;
  password: string;
  role: string;
  /** Base32 TOTP secret, once enrolled. */
  secret?: string;
  /** The last TOTP step this test used for the person (the server refuses it and earlier ones). */
  lastStep?: number;
}

/** Requests as a client at `ip` (the app trusts X-Forwarded-For from loopback, as behind a proxy). */
export function client(t: TestApp, ip?: string) {
  const withIp = (r: request.Test) => (ip ? r.set('X-Forwarded-For', ip) : r);
  const server = t.app.getHttpServer();
  return {
    get: (path: string, token?: string) => withIp(token ? request(server).get(path).set('Authorization', `Bearer ${token}`) : request(server).get(path)),
    post: (path: string, body?: object, token?: string) => {
      const r = withIp(request(server).post(path));
      if (token) r.set('Authorization', `Bearer ${token}`);
      return body === undefined ? r : r.send(body);
    },
    delete: (path: string, token?: string) =>
      withIp(token ? request(server).delete(path).set('Authorization', `Bearer ${token}`) : request(server).delete(path)),
  };
}

export async function createPerson(t: TestApp, role = 'biomed', extra: { manufacturerId?: string; email?: string; password?: string } = {}): Promise<Person> {
  const email = extra.email ?? `person-${unique()}@hospital.example`;
  const password = extra.password ?? GOOD_PASSWORD;
  const res = await t
    .api()
    .post('/api/v1/users')
    .send({ email, displayName: `Person ${unique()}`, role, password, ...(extra.manufacturerId && { manufacturerId: extra.manufacturerId }) });
  if (res.status !== 201) throw new Error(`user not created: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, email, password, role };
}

/**
 * A TOTP code the server has not seen for this person: the current step, or the next one when
 * the current was used (the server accepts one step of drift). Waits for the clock if both are used.
 */
export async function nextCode(person: Person): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 1000 / PERIOD_S);
    const step = Math.max(current, (person.lastStep ?? -1) + 1);
    if (step <= current + 1) {
      person.lastStep = step;
      return generate({ secret: person.secret!, epoch: step * PERIOD_S });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Password step; answers the raw response. */
export function login(t: TestApp, person: Pick<Person, 'email' | 'password'>, ip?: string) {
  return client(t, ip).post('/api/v1/auth/login', { email: person.email, password: person.password });
}

/** First login of a new person up to a session: enrol TOTP, confirm, keep the recovery codes. */
export async function enrol(t: TestApp, person: Person, ip?: string): Promise<{ token: string; expiresAt: string; recoveryCodes: string[] }> {
  const c = client(t, ip);
  const started = await login(t, person, ip).expect(200);
  if (started.body.mfaRequired !== 'enroll') throw new Error(`expected enrolment, got ${JSON.stringify(started.body)}`);
  const enrolment = await c.post('/api/v1/auth/mfa/enroll', { challengeToken: started.body.challengeToken }).expect(200);
  person.secret = enrolment.body.secret;
  const confirmed = await c.post('/api/v1/auth/mfa/enroll/confirm', { challengeToken: started.body.challengeToken, code: await nextCode(person) }).expect(200);
  return { token: confirmed.body.accessToken, expiresAt: confirmed.body.expiresAt, recoveryCodes: confirmed.body.recoveryCodes };
}

/** A later login of an enrolled person: password, then a fresh TOTP code. */
export async function signIn(t: TestApp, person: Person, ip?: string): Promise<string> {
  const started = await login(t, person, ip).expect(200);
  const verified = await client(t, ip)
    .post('/api/v1/auth/mfa/verify', { challengeToken: started.body.challengeToken, code: await nextCode(person) })
    .expect(200);
  return verified.body.accessToken;
}

/** A new person of `role`, enrolled, with a live session token. */
export async function personWithSession(t: TestApp, role = 'biomed', extra: { manufacturerId?: string } = {}, ip?: string) {
  const person = await createPerson(t, role, extra);
  const session = await enrol(t, person, ip);
  return { person, ...session };
}
