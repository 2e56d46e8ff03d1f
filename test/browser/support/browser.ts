import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { nextCode, Person } from '../../factories/user.factory';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it when missing): nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = resolve(__dirname, '../../../docs/console');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A fresh browser profile whose page fails the test on any Content-Security-Policy violation. */
export async function newConsolePage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { context, page, cspViolations };
}

/** Signs in through the form by keyboard only: type, Tab, Enter, as a person without a mouse would. */
export async function signInByKeyboard(page: Page, person: Person, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForURL(/\/login\?next=/);
  await page.locator('#email').focus();
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');
  // Focused by hand like the email field: the code step's autofocus and the first keystrokes
  // must not race (a CI run once stayed on /login after typing the code).
  await page.locator('#code').focus();
  await page.keyboard.type(await nextCode(person));
  await page.keyboard.press('Enter');
  try {
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  } catch (e) {
    // Say what the page said, so a failure here is diagnosable from the CI log alone.
    const said = await page
      .locator('body')
      .innerText({ timeout: 2000 })
      .catch(() => '(page unreadable)');
    throw new Error(`sign-in of ${person.role} ${person.email} stayed on ${page.url()}: ${said.replace(/\s+/g, ' ').slice(0, 400)}`, { cause: e });
  }
}

/** Serious and critical axe-core violations (WCAG 2.1 A and AA) on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
