/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use its globals)
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createManufacturer, createModel } from '../factories/inventory.factory';
import { createPerson, enrol, nextCode, Person, TEST_DATA_KEY } from '../factories/user.factory';
import { csafFixture } from '../support/fixtures';
import { connectDevice, publishHeartbeat } from '../support/mqtt-device';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, newConsolePage, screenshot, seriousViolations, signInByKeyboard } from './support/browser';

/** A GS1 UDI as printed on a label (FDA AccessGUDID's parse_udi sample): serial 1234. */
const UDI = '(01)10884521062856(11)141231(17)150707(10)A213B1(21)1234';

// A browser flow is several round trips and renders; on a loaded 2-core machine that is slow.
jest.setTimeout(120_000);

describe('the console in a real browser (Debian Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let sooil: { id: string; name: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    // ICSMA-21-012-01 (SOOIL) maps to these two models and is fixed in 3.0.
    sooil = await createManufacturer(t, { name: 'SOOIL Developments Co, Ltd.' });
    await createModel(t, sooil.id, { name: 'Dana Diabecare RS', modelNumber: 'DANA-RS' });
    await createModel(t, sooil.id, { name: 'AnyDana-A', modelNumber: 'ANYDANA-A' });
    // The CSAF validator's worker loads its schemas on first use, and on a loaded machine that
    // first run can pass the validator's 10 s limit (which restarts the worker cold). Warm it
    // here with another vendor's advisory until one validation completes, whatever its outcome.
    for (let attempt = 0; attempt < 5; attempt++) {
      const warm = await t.api().post('/api/v1/advisories/csaf').send(csafFixture('icsma-18-123-01'));
      if (!JSON.stringify(warm.body).includes('timed out')) break;
    }
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function enrolled(role: string, manufacturerId?: string): Promise<Person> {
    const person = await createPerson(t, role, { manufacturerId });
    await enrol(t, person);
    return person;
  }

  async function pageFor(): Promise<{ page: Page; cspViolations: string[] }> {
    const { context, page, cspViolations } = await newConsolePage(browser, base);
    contexts.push(context);
    return { page, cspViolations };
  }

  describe('serving', () => {
    it('answers the deep links with the console under a strict CSP and no-cache', async () => {
      for (const path of ['/', '/login', '/exposure', '/devices', '/devices/x', '/advisories', '/advisories/x', '/rogue-devices', '/admin']) {
        const res = await fetch(`${base}${path}`);
        expect([path, res.status]).toEqual([path, 200]);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(await res.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      }
    });

    it('caches hashed assets for good', async () => {
      const html = await (await fetch(`${base}/`)).text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
      const res = await fetch(`${base}${script}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${base}/assets/missing-0000.js`)).status).toBe(404);
    });

    it('never answers the API, docs, health or metrics paths with the console', async () => {
      const unknownApi = await fetch(`${base}/api/v1/nothing-here`);
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await fetch(`${base}/health`)).headers.get('content-type')).toMatch(/^application\/json/);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const docs = await fetch(`${base}/docs/`);
      expect(await docs.text()).toContain('swagger-ui');
      // The Swagger UI keeps the looser policy it needs.
      expect(docs.headers.get('content-security-policy')).toContain("'unsafe-inline'");
    });
  });

  it('enrols a new person with the QR code drawn locally, then shows the recovery codes', async () => {
    const person = await createPerson(t, 'it');
    const { page, cspViolations } = await pageFor();
    await page.goto('/');
    await page.waitForURL(/\/login\?next=%2F$/);
    expect(await page.locator('#email').getAttribute('autocomplete')).toBe('username');
    expect(await page.locator('#password').getAttribute('autocomplete')).toBe('current-password');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    await page.locator('#email').fill(person.email);
    await page.locator('#password').fill(person.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('img', { name: 'QR code of your authenticator key' }).waitFor();
    expect(await page.locator('#code').getAttribute('autocomplete')).toBe('one-time-code');
    person.secret = (await page.locator('code.secret').textContent())!;
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'enrolment');
    await page.locator('#code').fill(await nextCode(person));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('.codes li').count()).toBe(10);
    await page.getByRole('button', { name: /continue/ }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(cspViolations).toEqual([]);
  });

  describe('a biomedical engineer', () => {
    let biomed: Person;
    let page: Page;
    let cspViolations: string[];

    beforeAll(async () => {
      biomed = await enrolled('biomed');
      ({ page, cspViolations } = await pageFor());
    });

    it('signs in with password and TOTP by keyboard alone, landing on the deep link asked for; the session cookie is httpOnly', async () => {
      await signInByKeyboard(page, biomed, '/devices');
      expect(new URL(page.url()).pathname).toBe('/devices');
      await page.getByRole('heading', { name: 'Inventory' }).waitFor();
      const [cookie] = await page.context().cookies(`${base}/api/v1/auth/me`);
      expect(cookie).toMatchObject({ name: 'iomt_session', httpOnly: true, sameSite: 'Strict', path: '/api/v1' });
      expect(await page.evaluate(() => document.cookie)).toBe('');
    });

    it('registers a device from a pasted UDI string, seeing it parsed before saving', async () => {
      await page.getByRole('button', { name: 'Register a device' }).click();
      await page.locator('#udi').fill(UDI);
      await page.getByTestId('udi-serial').waitFor();
      expect(await page.getByTestId('udi-serial').textContent()).toBe('1234');
      expect(await page.locator('#udi-parsed').textContent()).toContain('10884521062856');
      await page.locator('#modelId').selectOption({ label: 'Dana Diabecare RS (DANA-RS)' });
      await page.locator('#firmwareVersion').fill('2.9');
      await page.locator('#department').fill('ICU');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'inventory-register');
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      await page.getByRole('heading', { name: 'Device 1234' }).waitFor();
      expect(await page.getByTestId('firmware').textContent()).toBe('2.9');
      expect(cspViolations).toEqual([]);
    });

    it('refuses a UDI that does not parse, saying why, before anything is saved', async () => {
      await page.goto('/devices');
      await page.getByRole('button', { name: 'Register a device' }).click();
      await page.locator('#udi').fill('(01)10884521062857(21)1');
      await page.getByText(/^UDI not readable: /).waitFor();
    });
  });

  describe('an administrator', () => {
    let admin: Person;
    let page: Page;
    let cspViolations: string[];

    beforeAll(async () => {
      admin = await enrolled('admin');
      ({ page, cspViolations } = await pageFor());
      await signInByKeyboard(page, admin, '/advisories');
    });

    it('imports a CSAF fixture dropped on the page, and the registered device appears on Exposure', async () => {
      await dropFile(page, 'icsma-21-012-01.json', JSON.stringify(csafFixture('icsma-21-012-01')));
      await page.getByText(/^Imported ICSMA-21-012-01 \(created\): 1 finding opened/).waitFor();
      await page.getByRole('link', { name: 'ICSMA-21-012-01' }).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'advisories');

      await page.getByRole('link', { name: 'Exposure', exact: true }).click();
      const row = page.locator('tr', { has: page.getByRole('link', { name: '1234', exact: true }) });
      await row.waitFor();
      expect(await row.locator('td').nth(4).textContent()).toBe('3.0');
      // docs/console/exposure.png comes from console-read.browser-spec.ts, with priorities to show.
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('watches the row leave without a reload when a heartbeat reports the fixed firmware', async () => {
      const row = page.locator('tr', { has: page.getByRole('link', { name: '1234', exact: true }) });
      const deviceId = (await row.getAttribute('data-device-id'))!;
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      const mqtt = await connectDevice(t.mqttUrl);
      try {
        await publishHeartbeat(mqtt, deviceId, { firmwareVersion: '3.0' });
      } finally {
        await mqtt.endAsync();
      }
      await row.waitFor({ state: 'detached', timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      await page.getByText(/updated live at/).waitFor();
    });

    it('shows what is wrong with a dropped document that is not valid CSAF', async () => {
      await page.goto('/advisories');
      const broken = csafFixture('icsma-21-012-01');
      delete broken.document.category;
      await dropFile(page, 'broken.json', JSON.stringify(broken));
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/category/);
    });

    it('shows the device with its firmware history and resolved finding', async () => {
      await page.goto('/devices');
      await page.getByRole('link', { name: '1234', exact: true }).click();
      await page.getByRole('heading', { name: 'Device 1234' }).waitFor();
      await page.getByText('2.9 → 3.0').waitFor();
      const resolved = page.locator('section[aria-labelledby="resolved-findings"]');
      await resolved.getByRole('link', { name: 'ICSMA-21-012-01' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('passes axe on every other page and keeps them free of CSP violations', async () => {
      const pages: [string, string][] = [
        ['/', 'Overview'],
        ['/rogue-devices', 'Rogue devices'],
        ['/admin', 'Admin'],
      ];
      for (const [path, heading] of pages) {
        await page.goto(path);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        expect([path, await seriousViolations(page)]).toEqual([path, []]);
        if (path !== '/') await screenshot(page, path.slice(1));
      }
      await page.goto('/advisories');
      await page.getByRole('link', { name: 'ICSMA-21-012-01' }).click();
      await page.getByRole('heading', { name: 'Products not mapped to a model' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'advisory');
      expect(cspViolations).toEqual([]);
    });

    it('signs out: the console returns to the sign-in form and the API refuses the old session', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login$/);
      const status = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
      expect(status).toBe(401);
    });
  });

  it('shows a manufacturer only its own advisories, and nothing about devices', async () => {
    const other = await createManufacturer(t, { name: `Other Maker ${Date.now()}` });
    const otherModel = await createModel(t, other.id);
    await t
      .api()
      .post('/api/v1/advisories')
      .send({
        manufacturerId: other.id,
        title: 'Other maker: telemetry hub flaw',
        affected: [{ modelId: otherModel.id, versions: '<9.0', fixedVersion: '9.0' }],
      })
      .expect(201);
    const officer = await enrolled('manufacturer', sooil.id);
    const { page } = await pageFor();
    await signInByKeyboard(page, officer, '/exposure');
    await page.waitForURL(/\/advisories$/);
    await page.getByRole('link', { name: 'ICSMA-21-012-01' }).waitFor();
    expect(await page.getByText('Other maker: telemetry hub flaw').count()).toBe(0);
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    // Its advisories, and the work orders on its own models (the API confines and reduces them).
    expect(nav).toEqual(['Advisories', 'Work orders']);
    await page.goto('/devices');
    await page.waitForURL(/\/advisories$/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows an it analyst no write controls', async () => {
    const analyst = await enrolled('it');
    const { page } = await pageFor();
    await signInByKeyboard(page, analyst, '/devices');
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    await page.getByRole('link', { name: '1234', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Register a device' }).count()).toBe(0);
    await page.goto('/advisories');
    await page.getByRole('link', { name: 'ICSMA-21-012-01' }).waitFor();
    expect(await page.getByText('Import a CSAF 2.0 advisory').count()).toBe(0);
    expect(await page.locator('input[type=file]').count()).toBe(0);
    await page.getByRole('link', { name: 'ICSMA-21-012-01' }).click();
    await page.getByRole('heading', { name: 'Products not mapped to a model' }).waitFor();
    expect(await page.locator('main button, main input[type=file], main form').count()).toBe(0);
  });
});

/** Drops a file on the CSAF drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([fileName, content]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: 'application/json' }));
      return dt;
    },
    [name, text],
  );
  await page.dispatchEvent('.dropzone', 'drop', { dataTransfer: transfer });
}
