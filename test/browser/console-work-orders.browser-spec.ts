/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use its globals)
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createAdvisory } from '../factories/advisory.factory';
import { createDevice, createManufacturer, createModel } from '../factories/inventory.factory';
import { createPerson, enrol, Person, TEST_DATA_KEY } from '../factories/user.factory';
import { eventually } from '../support/mqtt-device';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, newConsolePage, screenshot, seriousViolations, signInByKeyboard } from './support/browser';

const PHONE = { width: 390, height: 844 };

jest.setTimeout(120_000);

/**
 * The work-orders pages in Debian's Chromium against the real app: the list with its filters in
 * the URL, the detail with the status moves the API allows and its refusal shown in place, the
 * roles (it reads only, a manufacturer sees its own models' orders reduced), and reflow at 390 px.
 */
describe('the console work orders, in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let maker: { id: string; name: string };
  const contexts: BrowserContext[] = [];
  /** The order of WO-1 (left open for the browser to move) and of WO-2 (in progress). */
  let first: string;
  let second: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    maker = await createManufacturer(t, { name: 'Acme Infusion Systems' });
    const pump = await createModel(t, maker.id, { name: 'Acme Volumetric Pump', modelNumber: 'AVP-2' });
    const a = await createDevice(t, pump.id, { serialNumber: 'WO-1', firmwareVersion: '1.0', department: 'Intensive Care', location: 'ICU / Bed 3' });
    const b = await createDevice(t, pump.id, { serialNumber: 'WO-2', firmwareVersion: '1.0', department: 'Intensive Care' });
    await createAdvisory(t, {
      manufacturerId: maker.id,
      title: 'Acme pump authentication bypass',
      cvssScore: 9.8,
      affected: [{ modelId: pump.id, versions: '<2.0', fixedVersion: '2.0' }],
    });
    // Findings are computed after the advisory's commit; then a person opens the orders by hand
    // (a device that the policy already gave an order keeps it).
    await eventually(async () => {
      const res = await t
        .api()
        .post('/api/v1/work-orders')
        .send({ deviceIds: [a.id, b.id] })
        .expect(201);
      expect(res.body.created.length + res.body.existing.length).toBe(2);
    }, 15_000);
    const orderOf = async (deviceId: string) => (await t.api().get(`/api/v1/work-orders?deviceId=${deviceId}`).expect(200)).body.items[0].id as string;
    first = await orderOf(a.id);
    second = await orderOf(b.id);
    await t.api().patch(`/api/v1/work-orders/${second}`).send({ status: 'in_progress' }).expect(200);
    // Time passes for WO-2: its due date is behind it.
    await t.app.get(DataSource).query(`UPDATE work_orders SET due_at = now() - interval '3 days' WHERE id = $1`, [second]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function signedIn(
    role: string,
    path: string,
    manufacturerId?: string,
    viewport?: { width: number; height: number },
  ): Promise<{ page: Page; cspViolations: string[]; person: Person }> {
    const person = await createPerson(t, role, { manufacturerId });
    await enrol(t, person);
    const { context, page, cspViolations } = await newConsolePage(browser, base);
    contexts.push(context);
    if (viewport) await page.setViewportSize(viewport);
    await signInByKeyboard(page, person, path);
    return { page, cspViolations, person };
  }

  it('lists the orders, filters them in the URL, and moves one through the detail by keyboard; a stale move shows the API’s refusal', async () => {
    const { page, cspViolations } = await signedIn('biomed', '/work-orders');
    await page.getByRole('heading', { name: 'Work orders', level: 1 }).waitFor();
    const row = (id: string) => page.locator(`tr[data-work-order-id="${id}"]`);
    await row(first).waitFor();
    await row(second).waitFor();
    expect(await page.getByRole('link', { name: 'Work orders' }).getAttribute('aria-current')).toBe('page');
    const cells = await row(second).locator('td').allTextContents();
    expect(cells[1]).toBe('WO-2');
    expect(cells[3]).toMatch(/^\d{4}-\d{2}-\d{2} \(overdue\)$/);
    expect(cells[4]).toBe('in progress');
    expect(await row(first).locator('td').nth(3).textContent()).not.toMatch(/overdue/);
    expect(cells[7]).toBe('2.0');
    expect(await row(second).getByRole('link', { name: 'WO-2' }).getAttribute('href')).toMatch(/^\/devices\/[0-9a-f-]{36}$/);
    // The calendar link is the API's feed, readable with the session.
    const calendar = page.getByRole('link', { name: 'Maintenance calendar (iCalendar)' });
    const ics = await page.request.get((await calendar.getAttribute('href'))!);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'work-orders');

    // A filter is the URL's query: only the overdue order, then only the open ones.
    await page.getByLabel('Overdue').selectOption('true');
    await page.waitForURL((u) => u.search === '?overdue=true');
    await row(first).waitFor({ state: 'detached' });
    await row(second).waitFor();
    await page.getByLabel('Overdue').selectOption('');
    await row(first).waitFor();
    await page.getByLabel('Status').selectOption('open');
    await page.waitForURL((u) => u.search === '?status=open');
    await row(second).waitFor({ state: 'detached' });
    await row(first).waitFor();
    await page.reload();
    await row(first).waitFor();
    expect(await row(second).count()).toBe(0);

    // Into the detail by keyboard.
    await row(first)
      .getByRole('link', { name: /^Order / })
      .focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/work-orders/${first}`);
    await page.getByRole('heading', { name: 'Work order for WO-1', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Covered findings' }).getByRole('link', { name: 'Acme pump authentication bypass' }).waitFor();
    expect(await page.locator('section[aria-labelledby="history"] li').first().textContent()).toMatch(/created by /);
    // Only the moves the API allows from open: never "done", never "Ready to verify".
    const moves = await page.locator('section[aria-labelledby="moves"] .actions button').allTextContents();
    expect(moves).toEqual(['Schedule', 'Start work', 'Cancel the order', 'Accept the risk']);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Start work' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Moved to in progress.').waitFor();
    await eventually(async () => expect(await page.getByTestId('work-order-status').textContent()).toBe('in progress'), 10_000);
    const stored = await t.api().get(`/api/v1/work-orders/${first}`).expect(200);
    expect(stored.body.status).toBe('in_progress');
    expect(stored.body.history.some((h: { action: string; changes: { status?: { to: string } } }) => h.changes.status?.to === 'in_progress')).toBe(true);
    await screenshot(page, 'work-order');

    // Someone else schedules it meanwhile; this page still offers "Ready to verify" from in progress.
    await t
      .api()
      .patch(`/api/v1/work-orders/${first}`)
      .send({ status: 'scheduled', maintenanceWindow: { start: '2030-03-02T22:00:00Z', end: '2030-03-03T02:00:00Z' } })
      .expect(200);
    await page.getByRole('button', { name: 'Ready to verify' }).click();
    const refusal = page.locator('section[aria-labelledby="moves"] [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('status: scheduled -> verifying is not allowed (from scheduled: open, in_progress, cancelled, risk_accepted)');
    // The page reloads the order: it now offers the moves from scheduled.
    await eventually(async () => expect(await page.getByTestId('work-order-status').textContent()).toBe('scheduled'), 10_000);
    expect(await page.getByRole('button', { name: 'Back to open' }).count()).toBe(1);

    // Cancelling is a closing step: a confirm step, and a reason the API requires.
    await page.getByLabel('Reason (to cancel or accept the risk)').fill('Device leaves service next week');
    await page.getByRole('button', { name: 'Cancel the order' }).click();
    await page.getByText(/^Cancel this order\? It closes for good/).waitFor();
    await page.getByRole('button', { name: 'Cancel the order' }).click();
    await eventually(async () => expect(await page.getByTestId('work-order-status').textContent()).toBe('cancelled'), 10_000);
    expect(await page.locator('section[aria-labelledby="moves"]').count()).toBe(0);
    expect((await t.api().get(`/api/v1/work-orders/${first}`).expect(200)).body.statusReason).toBe('Device leaves service next week');
    expect(cspViolations).toEqual([]);
  });

  it('links the device page’s work orders to their detail', async () => {
    const order = (await t.api().get(`/api/v1/work-orders/${second}`).expect(200)).body as { deviceId: string };
    const { page } = await signedIn('biomed', `/devices/${order.deviceId}`);
    const link = page.locator(`section[aria-labelledby="work-orders"] tr[data-work-order-id="${second}"]`).getByRole('link', { name: 'in progress' });
    await link.click();
    await page.getByRole('heading', { name: 'Work order for WO-2', level: 1 }).waitFor();
  });

  it('shows an it analyst the orders and the calendar but no status move', async () => {
    const { page } = await signedIn('it', `/work-orders/${second}`);
    await page.getByRole('heading', { name: 'Work order for WO-2', level: 1 }).waitFor();
    await page.locator('section[aria-labelledby="history"]').waitFor();
    expect(await page.locator('main button, main input, main select').count()).toBe(0);
    await page.goto('/work-orders');
    await page.locator(`tr[data-work-order-id="${second}"]`).waitFor();
    await page.getByRole('link', { name: 'Maintenance calendar (iCalendar)' }).waitFor();
  });

  it('shows a manufacturer its own models’ orders without people, places or moves, and another vendor nothing', async () => {
    const own = await signedIn('manufacturer', '/work-orders', maker.id);
    await own.page.locator(`tr[data-work-order-id="${second}"]`).waitFor();
    expect(await own.page.getByRole('link', { name: 'Work orders' }).count()).toBe(1);
    expect(await own.page.locator('main a[href^="/devices/"]').count()).toBe(0);
    expect(await own.page.getByRole('columnheader', { name: 'Assignee' }).count()).toBe(0);
    expect(await own.page.getByRole('link', { name: 'Maintenance calendar (iCalendar)' }).count()).toBe(0);
    await own.page.goto(`/work-orders/${second}`);
    await own.page.getByRole('heading', { name: 'Work order for WO-2', level: 1 }).waitFor();
    // Its one write: the validation reference; no status move.
    expect(await own.page.locator('main button').allTextContents()).toEqual(['Record the validation']);
    expect(await own.page.getByRole('heading', { name: 'History' }).count()).toBe(0);
    expect(await own.page.getByText('Intensive Care').count()).toBe(0);
    expect(await seriousViolations(own.page)).toEqual([]);
    await own.page.getByLabel('Validation reference').fill('VAL-2026-0142');
    await own.page.keyboard.press('Enter');
    await own.page.getByText(/^VAL-2026-0142 \(/).waitFor();
    expect((await t.api().get(`/api/v1/work-orders/${second}`).expect(200)).body.manufacturerValidated.reference).toBe('VAL-2026-0142');

    const rival = await createManufacturer(t, { name: 'Rival Medical' });
    const other = await signedIn('manufacturer', '/work-orders', rival.id);
    await other.page.getByText('0 work orders on this page').waitFor();
    await other.page.goto(`/work-orders/${second}`);
    await other.page.locator('main [role="alert"]').waitFor();
    expect(await other.page.getByText('WO-2').count()).toBe(0);
  });

  it('never scrolls the list or the detail sideways at 390 px; their tables scroll in named regions', async () => {
    const { page } = await signedIn('biomed', '/work-orders', undefined, PHONE);
    for (const path of ['/work-orders', `/work-orders/${second}`]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: /^Work order/ }).waitFor();
      await page.locator('main table.data').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect([path, await page.evaluate(() => document.scrollingElement!.scrollWidth)]).toEqual([path, expect.any(Number)]);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      const unwrapped = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll('table.data')).filter((table) => !table.parentElement!.matches('[role="region"][aria-label][tabindex="0"]'))
            .length,
      );
      expect([path, unwrapped]).toEqual([path, 0]);
      expect(await seriousViolations(page)).toEqual([]);
    }
  });

  it('keeps each date on one line in the narrow columns at 390 px, and the signed-in name on one row with Sign out, below the nav', async () => {
    const { page } = await signedIn('biomed', '/work-orders', undefined, PHONE);
    for (const path of ['/work-orders', `/work-orders/${second}`]) {
      await page.goto(path);
      await page.locator('main table.data tbody tr').first().waitFor();
      await page.waitForLoadState('networkidle');
      // A date broken at its hyphen ("2026-12-" / "04") has two line boxes.
      const dates = await page.evaluate(() => Array.from(document.querySelectorAll('main .day')).map((el) => [el.textContent, el.getClientRects().length]));
      expect(dates.length).toBeGreaterThan(0);
      for (const [text, lines] of dates) expect([path, text, lines]).toEqual([path, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 1]);
      const header = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
        const nav = box('header nav');
        const who = box('header .who');
        const signOut = box('header .account button');
        return {
          belowNav: who.top >= nav.bottom && signOut.top >= nav.bottom,
          oneRow: signOut.top < who.bottom && who.top < signOut.bottom,
          right: Math.max(who.right, signOut.right),
        };
      });
      expect(header).toEqual({ belowNav: true, oneRow: true, right: expect.any(Number) });
      expect(header.right).toBeLessThanOrEqual(PHONE.width);
    }
  });
});
