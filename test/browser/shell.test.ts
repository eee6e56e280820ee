import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  expectAccessible,
  newPage,
  openBrowser,
  PHONE,
  type RunningConsole,
  screenshot,
  scrollsSideways,
  startConsole,
} from './harness.ts';

const skip = browserSkipReason();

describe.skipIf(skip)('the web console’s shell', () => {
  let server: RunningConsole;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), openBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is served at / by `credence start`, in the language chosen, remembered across visits', async () => {
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(server.url);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('header nav').innerText()).toContain('信用查询');
    await page.getByTestId('language').selectOption('fr');
    await expect.poll(() => page.locator('header nav').innerText()).toContain('Recherche de crédit');
    await page.reload();
    await expect.poll(() => page.locator('header nav').innerText()).toContain('Recherche de crédit');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByTestId('language').selectOption('zh');
    await expect.poll(() => page.locator('header nav').innerText()).toContain('信用查询');
    await page.context().close();
  });

  it('signs in with a credential and refuses a wrong one with the API’s message', async () => {
    const page = await newPage(browser, { lang: 'en' });
    await page.goto(`${server.url}/signin`);
    await expectAccessible(page, 'sign-in page');
    await page.locator('#credential').fill('not-a-credential');
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/credential|token/i);
    await screenshot(page, 'signin-en');
    await page.locator('#credential').fill(server.token('operator'));
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname.startsWith('/console'));
    await page.context().close();
  });

  it('fits a phone-sized screen', async () => {
    const page = await newPage(browser, { lang: 'zh', viewport: PHONE });
    await page.goto(server.url);
    expect(await scrollsSideways(page)).toBe(false);
    await page.context().close();
  });

  it('keeps the API’s JSON 404 beside the console’s pages', async () => {
    const api = await fetch(`${server.url}/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
    const page = await fetch(`${server.url}/org/anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
