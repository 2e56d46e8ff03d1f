import { createAdvisory } from './advisory.factory';
import { createDevice, seedModel } from './inventory.factory';
import { TestApp } from '../support/test-app';

/** A device of a new model on 1.0 with one open finding of a "<2.0" advisory (fixed in 2.0). */
export async function exposedDevice(t: TestApp) {
  const seed = await seedModel(t);
  const device = await createDevice(t, seed.modelId, { firmwareVersion: '1.0' });
  const advisory = await createAdvisory(t, {
    manufacturerId: seed.manufacturerId,
    cvssScore: 9.1,
    affected: [{ modelId: seed.modelId, versions: '<2.0', fixedVersion: '2.0' }],
  });
  const findings = (await t.api().get(`/api/v1/devices/${device.id}/findings`).expect(200)).body as Array<{ id: string; status: string }>;
  const finding = findings.find((f) => f.status === 'open');
  if (!finding) throw new Error('no open finding');
  return { ...seed, device, advisory, findingId: finding.id };
}

/** Accepts the risk of a finding until `expiresAtMs` (epoch ms) as the admin; expects 201. */
export async function acceptUntil(
  t: TestApp,
  findingId: string,
  expiresAtMs: number,
  why = { reason: 'isolated', compensatingControl: 'VLAN 40' },
): Promise<void> {
  await t
    .api()
    .post(`/api/v1/findings/${findingId}/acceptance`)
    .send({ ...why, expiresAt: new Date(expiresAtMs).toISOString() })
    .expect(201);
}
