/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use its globals)
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { buildCsaf } from '../factories/csaf.factory';
import { createDevice, createManufacturer, createModel } from '../factories/inventory.factory';
import { createPerson, enrol, Person, TEST_DATA_KEY } from '../factories/user.factory';
import { connectDevice, heartbeatTopic, publishHeartbeat } from '../support/mqtt-device';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, newConsolePage, screenshot, seriousViolations, signInByKeyboard } from './support/browser';

// A browser flow is several round trips and renders; on a loaded 2-core machine that is slow.
jest.setTimeout(120_000);

/** The console's write flows and live updates, in Debian's Chromium against the real app. */
describe('the console writes, in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let maker: { id: string; name: string };
  let pump: { id: string; modelNumber: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    maker = await createManufacturer(t, { name: 'Acme Infusion Systems' });
    pump = await createModel(t, maker.id, { name: 'Acme Volumetric Pump', modelNumber: 'AVP-2' });
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function signedIn(role: string, path: string, manufacturerId?: string): Promise<{ page: Page; cspViolations: string[]; person: Person }> {
    const person = await createPerson(t, role, { manufacturerId });
    await enrol(t, person);
    const { context, page, cspViolations } = await newConsolePage(browser, base);
    contexts.push(context);
    await signInByKeyboard(page, person, path);
    return { page, cspViolations, person };
  }

  describe('a biomedical engineer on the inventory', () => {
    let page: Page;
    let cspViolations: string[];

    beforeAll(async () => {
      ({ page, cspViolations } = await signedIn('biomed', '/devices'));
      await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    });

    it('imports a CSV: a bad row is shown in place with its row, field and message, nothing saved; the fixed file imports', async () => {
      await page.getByRole('button', { name: 'Import devices' }).click();
      const header = 'manufacturer,modelNumber,serialNumber,firmwareVersion,department';
      const bad = `${header}\n${maker.name},AVP-2,IMP-1,1.0,ICU\n${maker.name},NO-SUCH-MODEL,IMP-2,1.0,ICU\n${maker.name},AVP-2,IMP-3,1.0,ICU\n`;
      await dropFile(page, 'devices.csv', bad, 'text/csv');
      await page.getByTestId('import-accepted').waitFor();
      expect(await page.getByTestId('import-accepted').textContent()).toMatch(/^2 of 3 rows accepted, 1 refused: nothing was imported/);
      const problem = page.locator('table.import-errors tbody tr');
      expect(await problem.count()).toBe(1);
      const cells = await problem.first().locator('td').allTextContents();
      expect(cells[0]).toBe('2');
      expect(cells[1]).toBe('modelNumber');
      expect(cells[2]).toMatch(/NO-SUCH-MODEL/);
      expect(await page.getByRole('link', { name: 'IMP-1', exact: true }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'inventory-import');

      // Through the file picker this time: the keyboard's way in.
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.replace('NO-SUCH-MODEL', 'AVP-2')) });
      await page.getByTestId('import-result').waitFor();
      expect(await page.getByTestId('import-result').textContent()).toBe('Imported 3 devices from devices.csv.');
      await page.getByRole('link', { name: 'IMP-2', exact: true }).waitFor();
    });

    it('issues MQTT credentials after a confirm step and shows the password once, with a copy button', async () => {
      await page.getByRole('button', { name: 'Credentials IMP-1' }).click();
      await page.getByRole('button', { name: 'Issue', exact: true }).click();
      const secret = page.getByTestId('secret');
      await secret.waitFor();
      const password = (await secret.textContent())!;
      expect(password.length).toBeGreaterThan(20);
      await page.getByText(/^Shown once: copy it now/).waitFor();
      await page.getByRole('button', { name: 'Copy' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'inventory-credentials');

      // The username is the device's id, and the topic its heartbeat topic.
      const href = await page.getByRole('link', { name: 'IMP-1', exact: true }).getAttribute('href');
      const deviceId = href!.split('/').pop()!;
      expect(await page.locator('.shown-once dd code').allTextContents()).toEqual([deviceId, heartbeatTopic(deviceId)]);

      // Leaving the page drops it; coming back does not show it again.
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Inventory' }).waitFor();
      await page.getByRole('link', { name: 'IMP-1', exact: true }).waitFor();
      expect(await page.getByTestId('secret').count()).toBe(0);
      expect(await page.content()).not.toContain(password);
    });

    it('decommissions a device by keyboard alone, after a confirm step that says what happens', async () => {
      const row = page.locator('tr', { has: page.getByRole('link', { name: 'IMP-3', exact: true }) });
      await page.getByRole('button', { name: 'Decommission IMP-3' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText(/^Decommission IMP-3\? It leaves active views/).waitFor();
      // The confirm button is the next stop after the question.
      await page.getByRole('button', { name: 'Decommission', exact: true }).focus();
      await page.keyboard.press('Enter');
      await row.waitFor({ state: 'detached', timeout: 15_000 });
      expect(cspViolations).toEqual([]);
    });
  });

  it('maps an unmapped advisory product to a model, and the exposed device appears', async () => {
    const device = await createDevice(t, pump.id, { firmwareVersion: '1.0', serialNumber: 'MAP-1' });
    const doc = buildCsaf({
      trackingId: 'ACME-2026-01',
      version: 1,
      title: 'Acme pump controller: hard-coded credential',
      products: [{ vendor: maker.name, product: 'Volumetric Controller Board', versions: '<2.0', fixedVersion: '2.0' }],
    });
    // The validator's worker can pass its time limit cold on a loaded machine: try again then.
    let advisoryId = '';
    for (let attempt = 0; attempt < 5 && !advisoryId; attempt++) {
      const res = await t.api().post('/api/v1/advisories/csaf').send(doc);
      if (res.status === 201) advisoryId = res.body.advisoryId;
    }
    expect(advisoryId).not.toBe('');
    const { page, cspViolations } = await signedIn('admin', `/advisories/${advisoryId}`);
    await page.getByRole('heading', { name: 'Exposed devices' }).waitFor();
    await page.getByText(/^None: no device has an open finding/).waitFor();
    const select = page.getByLabel('Model for Volumetric Controller Board');
    await select.selectOption({ label: 'Acme Volumetric Pump (AVP-2)' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-mapping');
    await page.getByRole('button', { name: 'Map' }).click();
    await page.getByRole('link', { name: 'MAP-1', exact: true }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('link', { name: 'MAP-1', exact: true }).getAttribute('href')).toBe(`/devices/${device.id}`);
    await page.getByText('None', { exact: true }).waitFor();
    expect(cspViolations).toEqual([]);

    // The manufacturer's officer sees its advisory but neither the mapping control nor devices.
    const officer = await signedIn('manufacturer', `/advisories/${advisoryId}`, maker.id);
    await officer.page.getByRole('heading', { name: 'Products not mapped to a model' }).waitFor();
    expect(await officer.page.locator('main select, main button').count()).toBe(0);
    expect(await officer.page.getByRole('heading', { name: 'Exposed devices' }).count()).toBe(0);
  });

  it('lets an admin create an API key, shows its secret once, and revoke it after a confirm step', async () => {
    const { page, cspViolations } = await signedIn('admin', '/admin');
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create an API key' }).click();
    await page.getByLabel('Name (what uses it)').fill('CMMS nightly sync');
    await page.getByLabel('Role').selectOption('it');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const secret = page.getByTestId('secret');
    await secret.waitFor();
    const key = (await secret.textContent())!;
    await page.getByText(/^Shown once/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-api-key');
    // The key works, as an it key.
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(((await me.json()) as { role: string }).role).toBe('it');

    await page.getByRole('button', { name: 'Done: I have stored it' }).click();
    expect(await page.getByTestId('secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke CMMS nightly sync' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('Revoked CMMS nightly sync.').waitFor();
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    expect(cspViolations).toEqual([]);
  });

  it('adds an unknown device to the rogue page without a reload, and lists refused heartbeats', async () => {
    const mqtt = await connectDevice(t.mqttUrl);
    try {
      await mqtt.publishAsync(heartbeatTopic(randomUUID()), 'not json at all', { qos: 1 });
      const { page, cspViolations } = await signedIn('admin', '/rogue-devices');
      await page.getByRole('heading', { name: 'Refused heartbeats' }).waitFor();
      await page.locator('section[aria-labelledby="rejections-title"] tbody tr').first().waitFor({ timeout: 15_000 });
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      const rogue = randomUUID();
      await publishHeartbeat(mqtt, rogue, { firmwareVersion: '6.6.6', serialNumber: 'NOT-OURS' });
      await page.locator(`tr[data-claimed-id="${rogue}"]`).waitFor({ timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      await page.getByText(/^Updated live at /).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'rogue-devices');
      expect(cspViolations).toEqual([]);
    } finally {
      await mqtt.endAsync();
    }
  });

  it('shows an it analyst no write control on the inventory, advisories, rogue or admin pages', async () => {
    const doc = buildCsaf({
      trackingId: 'ACME-2026-02',
      version: 1,
      products: [{ vendor: maker.name, product: 'Another Unknown Board', versions: '<3.0' }],
    });
    let advisoryId = '';
    for (let attempt = 0; attempt < 5 && !advisoryId; attempt++) {
      const res = await t.api().post('/api/v1/advisories/csaf').send(doc);
      if (res.status === 201) advisoryId = res.body.advisoryId;
    }
    const { page } = await signedIn('it', '/devices');
    await page.getByRole('link', { name: 'IMP-1', exact: true }).waitFor();
    for (const name of ['Import devices', 'Register a device', 'Credentials IMP-1', 'Decommission IMP-1']) {
      expect([name, await page.getByRole('button', { name }).count()]).toEqual([name, 0]);
    }
    expect(await page.locator('main input[type=file]').count()).toBe(0);
    await page.goto(`/advisories/${advisoryId}`);
    await page.getByRole('heading', { name: 'Exposed devices' }).waitFor();
    expect(await page.locator('main select, main button, main form').count()).toBe(0);
    await page.goto('/rogue-devices');
    await page.getByRole('heading', { name: 'Refused heartbeats' }).waitFor();
    expect(await page.locator('main form, main input, main select').count()).toBe(0);
    await page.goto('/admin');
    await page.waitForURL((u) => u.pathname !== '/admin');
    expect(await page.getByRole('button', { name: /Create|Revoke|Reset|Disable/ }).count()).toBe(0);
  });
});

/** Drops a file on the drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFile(page: Page, name: string, text: string, type: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([fileName, content, mime]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: mime }));
      return dt;
    },
    [name, text, type],
  );
  await page.dispatchEvent('.dropzone', 'drop', { dataTransfer: transfer });
}
