import { eventually } from './mqtt-device';
import { TestApp } from './test-app';

/** The in-process app or a service in its own process. */
type Service = Pick<TestApp, 'api'>;

export async function firmwareBecomes(t: Service, deviceId: string, firmwareVersion: string, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      const res = await t.api().get(`/api/v1/devices/${deviceId}`).expect(200);
      if (res.body.firmwareVersion !== firmwareVersion) throw new Error(`device ${deviceId} still on ${res.body.firmwareVersion}`);
    },
    timeoutMs,
    50,
  );
}

/** Waits until the device's open findings are exactly these advisories. */
export async function openAdvisoriesBecome(t: Service, deviceId: string, advisoryIds: string[], timeoutMs = 30_000): Promise<void> {
  const want = JSON.stringify([...advisoryIds].sort());
  await eventually(
    async () => {
      const res = await t.api().get(`/api/v1/devices/${deviceId}/findings`).expect(200);
      const open = JSON.stringify(
        res.body
          .filter((f: { status: string }) => f.status === 'open')
          .map((f: { advisoryId: string }) => f.advisoryId)
          .sort(),
      );
      if (open !== want) throw new Error(`device ${deviceId}: open findings ${open}, want ${want}`);
    },
    timeoutMs,
    100,
  );
}

/** Devices in the outdated-firmware report for this manufacturer, sorted. */
export async function reportedDeviceIds(t: Service, manufacturerId: string): Promise<string[]> {
  const res = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}&limit=100`).expect(200);
  return res.body.items.map((i: { deviceId: string }) => i.deviceId).sort();
}
