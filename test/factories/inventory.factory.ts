import { randomBytes } from 'node:crypto';
import { TestApp } from '../support/test-app';

const unique = () => randomBytes(4).toString('hex');

/** Anything that sends authenticated requests to the service: the in-process app or a spawned one. */
type Service = Pick<TestApp, 'api'>;

export interface Seed {
  manufacturerId: string;
  modelId: string;
}

export async function createManufacturer(t: Service, body: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const res = await t
    .api()
    .post('/api/v1/manufacturers')
    .send({ name: `Maker ${unique()}`, ...body })
    .expect(201);
  return res.body;
}

export async function createModel(t: Service, manufacturerId: string, body: Record<string, unknown> = {}): Promise<{ id: string; modelNumber: string }> {
  const res = await t
    .api()
    .post('/api/v1/models')
    .send({ manufacturerId, modelNumber: `M-${unique()}`, name: `Pump ${unique()}`, category: 'facility', ...body })
    .expect(201);
  return res.body;
}

export async function seedModel(t: Service, model: Record<string, unknown> = {}): Promise<Seed> {
  const manufacturer = await createManufacturer(t);
  const created = await createModel(t, manufacturer.id, model);
  return { manufacturerId: manufacturer.id, modelId: created.id };
}

export async function createDevice(
  t: Service,
  modelId: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; serialNumber: string; firmwareVersion: string | null }> {
  const res = await t
    .api()
    .post('/api/v1/devices')
    .send({ modelId, serialNumber: `SN-${unique()}`, ...body });
  if (res.status !== 201) throw new Error(`device not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createKey(t: Service, role: string, manufacturerId?: string): Promise<string> {
  const res = await t
    .api()
    .post('/api/v1/api-keys')
    .send({ name: `${role} ${unique()}`, role, manufacturerId })
    .expect(201);
  return res.body.key;
}
