/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use its globals)
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createAdvisory } from '../factories/advisory.factory';
import { createDevice, createManufacturer, createModel } from '../factories/inventory.factory';
import { createPerson, enrol, Person, TEST_DATA_KEY } from '../factories/user.factory';
import { eventually } from '../support/mqtt-device';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, newConsolePage, screenshot, seriousViolations, signInByKeyboard } from './support/browser';

// CISA's catalog as published (test/fixtures/kev): CVE-2019-0708 is in it.
const KEV_TEXT = readFileSync(resolve(__dirname, '..', 'fixtures', 'kev', 'known_exploited_vulnerabilities-2025.08.25.json'), 'utf8');
/** A GS1 UDI as printed on a label (FDA AccessGUDID's parse_udi sample): serial 1234. */
const UDI = '(01)10884521062856(11)141231(17)150707(10)A213B1(21)1234';
const PHONE = { width: 390, height: 844 };

jest.setTimeout(120_000);

/**
 * The console's read side: priority (SSVC decision, due date, KEV, EPSS, and what was assumed)
 * on the overview, Exposure and device pages, the exposure history chart, the device's work
 * orders, and reflow at a phone's width (WCAG 1.4.10).
 */
describe('the console read side in a real browser (Debian Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: Person;
  let page: Page;
  let cspViolations: string[];
  const contexts: BrowserContext[] = [];
  let ventilator: { id: string; serialNumber: string };
  let printer: { id: string; serialNumber: string };
  let advisoryId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    await t.api().post('/api/v1/threat-intel/kev').set('Content-Type', 'application/json').send(KEV_TEXT).expect(200);
    const maker = await createManufacturer(t, { name: 'Acme Respiratory Systems International' });
    const vent = await createModel(t, maker.id, { name: 'Breeze ICU Ventilator', modelNumber: 'BRZ-9000', safetyImpact: 'catastrophic' });
    const labels = await createModel(t, maker.id, { name: 'Label Printer', modelNumber: 'LP-1' });
    ventilator = await createDevice(t, vent.id, {
      serialNumber: '1234',
      udi: UDI,
      firmwareVersion: '1.0',
      systemExposure: 'open',
      location: 'Building A / Intensive Care Unit / Bed 12',
      department: 'Intensive Care',
    });
    printer = await createDevice(t, labels.id, { firmwareVersion: '3.1', systemExposure: 'small', missionImpact: 'degraded', safetyImpact: 'negligible' });
    advisoryId = (
      await createAdvisory(t, {
        manufacturerId: maker.id,
        title: 'Breeze ventilator remote code execution',
        cves: ['CVE-2019-0708'],
        cvssScore: 9.8,
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        affected: [{ modelId: vent.id, versions: '<2.0', fixedVersion: '2.0' }],
      })
    ).id;
    await createAdvisory(t, {
      manufacturerId: maker.id,
      title: 'Label printer local privilege escalation',
      cvssScore: 6.7,
      cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      affected: [{ modelId: labels.id, versions: '<4.0', fixedVersion: '4.0' }],
    });
    // Time passes: the ventilator's finding was detected (and decided) 20 days ago, so its two-day
    // due date is behind it; the printer's 6 days ago. The history chart then has steps to draw.
    const db = t.app.get(DataSource);
    // The due date shown is counted from when the finding entered its decision's cell (migration 1764300030000), which must not be younger.
    await db.query(
      `UPDATE decision_cells SET since = since - interval '20 days' WHERE (advisory_id, device_class) IN (SELECT advisory_id, device_class FROM findings WHERE device_id = $1)`,
      [ventilator.id],
    );
    await db.query(`UPDATE findings SET detected_at = now() - interval '20 days', class_since = now() - interval '20 days' WHERE device_id = $1`, [
      ventilator.id,
    ]);
    await db.query(`UPDATE device_exposure SET next_due_at = next_due_at - interval '20 days' WHERE device_id = $1`, [ventilator.id]);
    await db.query(`UPDATE findings SET detected_at = now() - interval '6 days' WHERE device_id = $1`, [printer.id]);
    // Immediate decisions open a work order by policy.
    await eventually(async () => {
      const orders = await t.api().get(`/api/v1/work-orders?deviceId=${ventilator.id}`).expect(200);
      expect(orders.body.items).toHaveLength(1);
    }, 10_000);
    admin = await createPerson(t, 'admin');
    await enrol(t, admin);
    const { context, page: p, cspViolations: csp } = await newConsolePage(browser, base);
    contexts.push(context);
    page = p;
    cspViolations = csp;
    await signInByKeyboard(page, admin, '/');
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  it('shows exposed devices by decision and through KEV on the overview, with the history chart and its data as a table', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const decisions = page.locator('section[aria-labelledby="by-decision"]');
    await decisions.getByRole('link', { name: 'immediate' }).waitFor();
    await page.waitForLoadState('networkidle');
    const count = async (name: string) =>
      (await decisions
        .locator('tr', { has: page.getByRole('link', { name, exact: true }) })
        .locator('td.num')
        .textContent())!;
    expect(await count('immediate')).toBe('1');
    expect(await count('defer')).toBe('1');
    const kev = page.locator('.card', { hasText: 'Exposed through a KEV-listed CVE' });
    expect(await kev.locator('.card-value').textContent()).toBe('1');
    expect(await kev.getByRole('link').getAttribute('href')).toBe('/exposure?inKev=true');

    const history = page.locator('section[aria-labelledby="history"]');
    expect(await history.locator('svg[aria-hidden="true"] path.chart-line').count()).toBe(1);
    const rows = history.locator('.visually-hidden table tbody tr');
    expect(await rows.count()).toBe(90);
    const today = new Date().toISOString().slice(0, 10);
    expect(await rows.last().locator('th').textContent()).toBe(today);
    expect(await rows.last().locator('td').textContent()).toBe('2');
    // Twenty days ago only the ventilator was exposed; a week ago both.
    expect(
      await history
        .locator('tr', { hasText: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10) })
        .locator('td')
        .textContent(),
    ).toBe('1');
    expect(await history.locator('figcaption').textContent()).toMatch(/2 today, highest 2 on/);

    const models = page.locator('section[aria-labelledby="by-model"]');
    expect(await models.getByRole('link', { name: 'Breeze ICU Ventilator (BRZ-9000)' }).getAttribute('href')).toMatch(/^\/exposure\?modelId=/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'overview');
  });

  it('shows each exposed device with its decision, due date (overdue in words), KEV and EPSS on Exposure', async () => {
    await page.goto('/exposure');
    const row = page.locator('tr', { has: page.getByRole('link', { name: '1234', exact: true }) });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[4]).toBe('2.0');
    expect(cells[5]).toBe('immediate');
    expect(cells[6]).toMatch(/^\d{4}-\d{2}-\d{2} \(overdue\)$/);
    expect(cells[7]).toBe('yes');
    expect(cells[8]).toBe('—');
    // Priority order: the immediate ventilator before the deferred printer.
    const serials = await page.locator('tbody tr td:first-child').allTextContents();
    expect(serials).toEqual(['1234', printer.serialNumber]);
    const region = page.getByRole('region', { name: 'Exposed devices' });
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'exposure');
  });

  it('filters Exposure by decision, KEV, connectivity and search, and sorts it, all in the URL', async () => {
    await page.goto('/exposure');
    await page.getByRole('link', { name: '1234', exact: true }).waitFor();
    await page.getByRole('combobox', { name: /^Decision/ }).selectOption('defer');
    await page.waitForURL(/decision=defer/);
    await page.getByRole('link', { name: printer.serialNumber, exact: true }).waitFor();
    await page.getByRole('link', { name: '1234', exact: true }).waitFor({ state: 'detached' });

    await page.goto('/exposure?inKev=true');
    await page.getByRole('link', { name: '1234', exact: true }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);

    await page.goto('/exposure');
    await page.getByRole('link', { name: '1234', exact: true }).waitFor();
    await page.getByRole('searchbox', { name: /^Search/ }).fill('building a');
    await page.getByRole('searchbox', { name: /^Search/ }).press('Enter');
    await page.waitForURL(/q=building\+a/);
    await page.getByRole('link', { name: printer.serialNumber, exact: true }).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);

    await page.goto('/exposure');
    await page.getByRole('link', { name: '1234', exact: true }).waitFor();
    await page.getByRole('combobox', { name: /^Sort by/ }).selectOption('dueAt');
    await page.waitForURL(/sort=dueAt/);
    await page.getByRole('combobox', { name: /^Connectivity/ }).selectOption('online');
    await page.waitForURL(/connectivity=online/);
    await page.getByText('0 exposed devices on this page').waitFor();
    expect(cspViolations).toEqual([]);
  });

  it("shows the device's decision, each open finding's priority with its inputs and what was assumed, and its work orders", async () => {
    await page.goto(`/devices/${ventilator.id}`);
    await page.getByRole('heading', { name: 'Device 1234' }).waitFor();
    await page.getByTestId('device-decision').getByText('immediate').waitFor();
    const open = page.locator('section[aria-labelledby="open-findings"]');
    const finding = open.locator('tr', { has: page.getByRole('link', { name: 'Breeze ventilator remote code execution' }) });
    await finding.waitFor();
    const inputs = await finding.locator('ul.inputs li').allTextContents();
    expect(inputs).toEqual([
      'exploitation: active',
      'automatable: yes',
      'system exposure: open',
      'safety impact: catastrophic',
      'mission impact: mission failure (assumed)',
      'human impact: very high',
      'CISA KEV: yes, known ransomware use',
      'EPSS: —',
    ]);
    expect(await finding.locator('td').nth(2).textContent()).toMatch(/\(overdue\)$/);

    const orders = page.locator('section[aria-labelledby="work-orders"]');
    const order = orders.locator('tbody tr');
    await order.first().waitFor();
    expect(await order.count()).toBe(1);
    const cells = await order.locator('td').allTextContents();
    expect(cells[1]).toBe('immediate');
    expect(cells[4]).toBe('2.0');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'device');
  });

  describe('at a phone width of 390 CSS px (WCAG 1.4.10 reflow)', () => {
    let phone: Page;

    beforeAll(async () => {
      const context = await browser.newContext({ baseURL: base, viewport: PHONE });
      contexts.push(context);
      phone = await context.newPage();
      await signInByKeyboard(phone, admin, '/');
    });

    it('never scrolls any page sideways: every wide table scrolls in its own focusable, named region', async () => {
      const pages: [string, string][] = [
        ['/', 'Overview'],
        ['/exposure', 'Exposure'],
        ['/devices', 'Inventory'],
        [`/devices/${ventilator.id}`, 'Device 1234'],
        ['/advisories', 'Advisories'],
        [`/advisories/${advisoryId}`, 'Breeze ventilator remote code execution'],
        ['/work-orders', 'Work orders'],
        ['/rogue-devices', 'Rogue devices'],
        ['/admin', 'Admin'],
      ];
      for (const [path, heading] of pages) {
        await phone.goto(path);
        await phone.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await phone.waitForLoadState('networkidle');
        const width = await phone.evaluate(() => document.scrollingElement!.scrollWidth);
        // On failure, name what sticks out past the viewport.
        const offenders =
          width <= PHONE.width
            ? []
            : await phone.evaluate(
                (limit) =>
                  Array.from(document.querySelectorAll('body *'))
                    .filter((el) => el.getBoundingClientRect().right > limit && !el.closest('.table-scroll'))
                    .slice(0, 5)
                    .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
                PHONE.width,
              );
        expect([path, width, offenders]).toEqual([path, expect.any(Number), []]);
        expect(width).toBeLessThanOrEqual(PHONE.width);
      }
      for (const [path] of pages) {
        await phone.goto(path);
        await phone.getByRole('heading', { level: 1 }).waitFor();
        await phone.waitForLoadState('networkidle');
        const unwrapped = await phone.evaluate(
          () =>
            Array.from(document.querySelectorAll('table.data')).filter((table) => {
              const region = table.parentElement!;
              return !(region.getAttribute('role') === 'region' && region.getAttribute('aria-label') && region.getAttribute('tabindex') === '0');
            }).length,
        );
        expect([path, unwrapped]).toEqual([path, 0]);
      }
    });

    it('scrolls the Exposure table by keyboard inside its region', async () => {
      await phone.goto('/exposure');
      await phone.getByRole('link', { name: '1234', exact: true }).waitFor();
      const region = phone.getByRole('region', { name: 'Exposed devices' });
      expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await region.focus();
      await phone.keyboard.press('ArrowRight');
      await phone.keyboard.press('ArrowRight');
      await eventually(async () => expect(await region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0), 2000);
      expect(await seriousViolations(phone)).toEqual([]);
    });

    it('wraps a long UDI on the device page instead of widening it', async () => {
      await phone.goto(`/devices/${ventilator.id}`);
      await phone.getByText(UDI).waitFor();
      const udi = await phone.getByText(UDI).boundingBox();
      expect(udi!.x + udi!.width).toBeLessThanOrEqual(PHONE.width);
    });
  });
});
