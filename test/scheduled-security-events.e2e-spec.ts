import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';
import { ScheduledSecurityEvents } from '../src/security-events/scheduled-security-events.service';

const BOOT_MS = 180_000;

interface CloudEventBody {
  type: string;
  data: { type: string; details: Record<string, unknown> };
}

/**
 * Events from the clock: a work order past its due date raises work_order_overdue once, and the
 * daily digest per role goes out as a webhook event, once a day whatever the number of passes.
 */
describe('scheduled security events: overdue work orders and the daily digest', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let itKey: string;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    // The digest hour 0 makes it due whenever the test runs; passes are driven by the test, not the timer.
    t = await startTestApp({
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_INTERVAL_MS: '200', DIGEST_HOUR_UTC: '0', SECURITY_EVENTS_SCHEDULE_INTERVAL_S: '3600' },
    });
    itKey = await createKey(t, 'it');
    const created = await t
      .api()
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, events: ['daily_digest', 'work_order_overdue'], description: 'chat bridge' })
      .expect(201);
    receiver.secret = created.body.secret;
  }, BOOT_MS);
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('raises work_order_overdue once for an order past its due date, and delivers it', async () => {
    // Out-of-cycle findings are due one second after their decision, for this test only.
    await t
      .api(itKey)
      .put('/api/v1/remediation-policy')
      .send({ due: { immediate: 'P2D', out_of_cycle: 'PT1S', scheduled: 'P90D', defer: null } })
      .expect(200);
    try {
      const { manufacturerId, modelId } = await seedModel(t);
      // Nothing described: the conservative defaults decide out_of_cycle, which opens an order by itself.
      const device = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      await createAdvisory(t, { manufacturerId, cvssScore: 8.0, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
      const { value: order } = await eventually(async () => {
        const items = (await t.api(itKey).get(`/api/v1/work-orders?deviceId=${device.id}`).expect(200)).body.items;
        if (items.length !== 1) throw new Error('no order yet');
        return items[0] as { id: string; dueAt: string };
      }, 5000);
      await new Promise((r) => setTimeout(r, Math.max(0, new Date(order.dueAt).getTime() - Date.now()) + 200));

      const scheduled = t.app.get(ScheduledSecurityEvents);
      expect((await scheduled.runOnce()).overdue).toBeGreaterThanOrEqual(1);
      expect((await scheduled.runOnce()).overdue).toBe(0);
      const events = (await t.api(itKey).get(`/api/v1/security-events?type=work_order_overdue&deviceId=${device.id}`).expect(200)).body.items;
      expect(events).toEqual([
        expect.objectContaining({
          type: 'work_order_overdue',
          severity: 'medium',
          details: expect.objectContaining({ workOrderId: order.id, decision: 'out_of_cycle' }),
        }),
      ]);
      await eventually(async () => {
        const delivered = receiver.of('iomt.security.work_order_overdue').filter((r) => (r.verified as CloudEventBody).data.details.workOrderId === order.id);
        expect(delivered).toHaveLength(1);
      }, 5000);
    } finally {
      await t
        .api(itKey)
        .put('/api/v1/remediation-policy')
        .send({ due: { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null } })
        .expect(200);
    }
  });

  it('sends one digest per role a day, as signed webhook events: IT sees rogue devices, biomedical engineers do not', async () => {
    // Every pass since the digest hour stores today's digests if they are missing (the first test's pass did).
    const scheduled = t.app.get(ScheduledSecurityEvents);
    await scheduled.runOnce();
    expect((await scheduled.runOnce()).digests).toBe(0);

    const digests = (await t.api(itKey).get('/api/v1/security-events?type=daily_digest').expect(200)).body.items as Array<{
      severity: string;
      details: Record<string, unknown>;
    }>;
    expect(digests.map((d) => d.details.role).sort()).toEqual(['admin', 'biomed', 'it']);
    const today = new Date().toISOString().slice(0, 10);
    for (const d of digests) expect(d).toMatchObject({ severity: 'info', details: { date: today, overdueWorkOrders: expect.any(Number) } });
    const it = digests.find((d) => d.details.role === 'it')!;
    const biomed = digests.find((d) => d.details.role === 'biomed')!;
    expect(it.details).toHaveProperty('rogueDevices');
    expect(biomed.details).not.toHaveProperty('rogueDevices');
    expect(it.details.overdueWorkOrders).toBeGreaterThanOrEqual(1);

    await eventually(async () => {
      const delivered = receiver.of('iomt.security.daily_digest');
      expect(delivered).toHaveLength(3);
      for (const r of delivered) expect(r.verifyError).toBeNull();
    }, 5000);
  });

  it('keeps digests from biomedical engineers reading the API (they are no device event) and from manufacturers entirely', async () => {
    const biomedKey = await createKey(t, 'biomed');
    const seen = (await t.api(biomedKey).get('/api/v1/security-events?type=daily_digest').expect(200)).body.items;
    expect(seen).toEqual([]);
    const { manufacturerId } = await seedModel(t);
    await t
      .api(await createKey(t, 'manufacturer', manufacturerId))
      .get('/api/v1/security-events?type=daily_digest')
      .expect(403);
  });
});
