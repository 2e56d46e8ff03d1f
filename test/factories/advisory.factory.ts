import { TestApp } from '../support/test-app';

export interface AdvisoryBody {
  manufacturerId: string;
  affected: Array<{ modelId: string; versions: string; fixedVersion?: string }>;
  [k: string]: unknown;
}

export async function createAdvisory(t: TestApp, body: AdvisoryBody, key?: string): Promise<{ id: string }> {
  const res = await t
    .api(key)
    .post('/api/v1/advisories')
    .send({ title: 'Test advisory', cvssScore: 7.5, ...body });
  if (res.status !== 201) throw new Error(`advisory not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function openFindings(
  t: TestApp,
  deviceId: string,
): Promise<Array<{ advisoryId: string; fixedVersion: string | null; status: string; resolution: string | null }>> {
  const res = await t.api().get(`/api/v1/devices/${deviceId}/findings`).expect(200);
  return res.body.filter((f: { status: string }) => f.status === 'open');
}
