/**
 * The operator console in a real browser against `credence start` with the demo population: the
 * demo operator signs in, the dashboard's charts show the demo's numbers (checked against the API),
 * the objection queue shows an objection the demo citizen just filed and takes a decision by
 * keyboard, a subject's file opens only with a stated purpose (which then appears in its access
 * log), the audit log verifies intact; an auditor sees the same pages without decision controls.
 * Every console page is scanned with axe and saved as a screenshot in Chinese, English and French.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  expectAccessible,
  type Lang,
  newPage,
  openBrowser,
  PHONE,
  type RunningConsole,
  screenshot,
  scrollsSideways,
  signIn,
  startConsole,
} from './harness.ts';

const skip = browserSkipReason();

/** The console's pages: path inside /console and the screenshot's name. */
const PAGES = [
  { path: '', name: 'dashboard' },
  { path: '/subjects', name: 'subjects' },
  { path: '/objections', name: 'objections' },
  { path: '/repairs', name: 'repairs' },
  { path: '/holds', name: 'holds' },
  { path: '/parties', name: 'parties' },
  { path: '/policy', name: 'policy' },
  { path: '/audit', name: 'audit' },
] as const;

interface Dashboard {
  grades: Record<string, Record<string, number>>;
  unscored: Record<string, number>;
  ingest: { count: number }[];
  list_sizes: { current: { count: number }[] };
  held_ratings: { pending: number };
}

describe.skipIf(skip)('the operator console', () => {
  let server: RunningConsole;
  let browser: Browser;
  let citizen: { identifier: string; name: string; recordId: number; objectionId: number };
  /** The console's pages, with the demo's first held rating window. */
  let pages: { path: string; name: string }[];

  const api = async <T>(path: string, role: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${server.token(role)}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** A page signed in with a role's demo credential, opened at a console path. */
  const consolePage = async (
    role: string,
    lang: Lang,
    path = '',
    viewport?: { width: number; height: number },
  ) => {
    const page = await newPage(browser, { lang, ...(viewport ? { viewport } : {}) });
    await signIn(page, server.url, server.token(role), '/console');
    await page.waitForURL((u) => u.pathname.startsWith('/console'));
    if (path) await page.goto(`${server.url}/console${path}`);
    await page.locator('h1').first().waitFor();
    return page;
  };

  /** Waits until a page has loaded what it shows (no "loading" status left). */
  const settled = async (page: Page) => {
    await expect.poll(() => page.locator('main [role="status"].muted').count(), { timeout: 15_000 }).toBe(0);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), openBrowser()]);
    // The demo citizen objects to a record of its own file, so the queue has an item to decide.
    const me = await api<{
      subject: { identifier: string; name: string };
      records: { id: number; status: string }[];
    }>('/v1/me', 'subject');
    const record = me.records.find((r) => r.status === 'active');
    if (!record) throw new Error('the demo citizen has no active record to object to');
    const objection = await api<{ id: number }>('/v1/me/objections', 'subject', {
      method: 'POST',
      body: JSON.stringify({
        record_id: record.id,
        reason: 'The judgment was set aside on appeal; the record should not stand.',
      }),
    });
    citizen = { ...me.subject, recordId: record.id, objectionId: objection.id };
    const { holds } = await api<{ holds: { id: number }[] }>('/v1/ratings/held', 'operator');
    pages = [...PAGES, ...(holds[0] ? [{ path: `/holds/${holds[0].id}`, name: 'hold' }] : [])];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends a visitor without a credential to sign in, and back to the console after', async () => {
    const page = await newPage(browser, { lang: 'en' });
    await page.goto(`${server.url}/console/objections`);
    await page.waitForURL((u) => u.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/console');
    await page.locator('#credential').fill(server.token('operator'));
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/console');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/signin');
    await page.context().close();
  });

  it('shows the dashboard’s charts with the demo’s numbers', async () => {
    const dash = await api<Dashboard>('/v1/console/dashboard', 'operator');
    const subjects =
      Object.values(dash.grades).reduce((s, g) => s + Object.values(g).reduce((a, b) => a + b, 0), 0) +
      Object.values(dash.unscored).reduce((a, b) => a + b, 0);
    const records = dash.ingest.reduce((s, r) => s + r.count, 0);
    const inForce = dash.list_sizes.current.reduce((s, r) => s + r.count, 0);
    const fmt = (n: number) => new Intl.NumberFormat('en').format(n);
    expect(subjects).toBeGreaterThan(1000);
    expect(records).toBeGreaterThan(0);

    const page = await consolePage('operator', 'en');
    await settled(page);
    for (const name of [
      'Credit grades of the population',
      'Records received per day, by kind of source',
      'Entries in force on each list at the end of each month',
    ])
      await expect.poll(() => page.getByRole('img', { name }).count()).toBe(1);
    // Each chart's numbers are on the page as words and as a table.
    const grades = page.getByTestId('chart-grades');
    expect(await grades.locator('figcaption').innerText()).toContain(`${fmt(subjects)} subjects`);
    expect(await page.getByTestId('chart-ingest').locator('figcaption').innerText()).toContain(
      `${fmt(records)} records`,
    );
    expect(await page.getByTestId('chart-lists').locator('figcaption').innerText()).toContain(
      `${fmt(inForce)} entr`,
    );
    await grades.getByText('Show the figures as a table').click();
    const personsA = dash.grades['person']?.['A'] ?? 0;
    expect(await grades.locator('table').innerText()).toContain(fmt(personsA));
    // The tallies: the citizen's objection is open; the demo's held windows await review.
    expect(await page.getByTestId('tally-objections').innerText()).toMatch(/\b1\b/);
    expect(await page.getByTestId('tally-holds').innerText()).toContain(fmt(dash.held_ratings.pending));
    expect(await page.getByTestId('due-first').innerText()).toContain(`Objection #${citizen.objectionId}`);
    expect(await page.getByTestId('inspection-plans').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('verifies the audit log and shows it intact', async () => {
    const page = await consolePage('operator', 'en', '/audit');
    await settled(page);
    expect(await page.getByTestId('audit-head').innerText()).toMatch(/Entries\s+[\d,]+/);
    await page.getByRole('button', { name: 'Verify the log now' }).click();
    await expect
      .poll(() => page.getByTestId('audit-verification').innerText(), { timeout: 30_000 })
      .toMatch(/^Intact/);
    await page.context().close();
  });

  it('gives an auditor the same pages read-only: no decision controls', async () => {
    const page = await consolePage('auditor', 'en', '/holds');
    await settled(page);
    expect(await page.getByText('read-only').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('hold-queue').locator('article').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Decide/ }).count()).toBe(0);
    await page.goto(`${server.url}/console/parties`);
    await settled(page);
    expect(await page.getByTestId('relying-parties').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  for (const lang of ['zh', 'en', 'fr'] as const)
    it(`passes axe on every page and saves screenshots in ${lang}`, async () => {
      const page = await consolePage('operator', lang);
      for (const p of pages) {
        await page.goto(`${server.url}/console${p.path}`);
        await page.locator('h1').first().waitFor();
        await settled(page);
        await expectAccessible(page, `console ${p.name} (${lang})`);
        await screenshot(page, `console-${p.name}-${lang}`);
      }
      await page.context().close();
    }, 120_000);

  it('fits a phone-sized screen', async () => {
    const page = await consolePage('operator', 'zh', '', PHONE);
    for (const p of pages) {
      await page.goto(`${server.url}/console${p.path}`);
      await page.locator('h1').first().waitFor();
      await settled(page);
      expect(await scrollsSideways(page), `console ${p.name} on a phone`).toBe(false);
    }
    await screenshot(page, 'console-audit-zh-phone');
    await page.context().close();
  }, 120_000);

  it('decides an objection from the queue by keyboard alone', async () => {
    const page = await consolePage('operator', 'en', '/objections');
    await settled(page);
    const card = page.getByTestId(`objection-${citizen.objectionId}`);
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain(citizen.name);
    expect(await card.innerText()).toContain('The judgment was set aside on appeal');

    const opener = page.getByRole('button', { name: `Decide objection #${citizen.objectionId}` });
    await opener.focus();
    await page.keyboard.press('Enter');
    expect(await opener.getAttribute('aria-expanded')).toBe('true');
    const form = page.getByRole('form', { name: `Decide objection #${citizen.objectionId}` });
    await expectAccessible(page, 'objection decision form');
    await form.getByRole('radio', { name: 'Correct the record' }).check();
    await expect.poll(() => form.getByRole('group', { name: 'Corrected fields' }).count()).toBe(1);
    await expectAccessible(page, 'objection decision form with a correction');
    await screenshot(page, 'console-objection-decision-en');
    // Tab into the outcomes, choose "keep the record" with the keyboard, then the reasons.
    await form.getByRole('radio', { name: 'Keep the record as it is' }).focus();
    await page.keyboard.press('Space');
    expect(await form.getByRole('radio', { name: 'Keep the record as it is' }).isChecked()).toBe(true);
    await form.getByLabel('Reasons (shown to the subject)').focus();
    await page.keyboard.type('The court confirmed the judgment stands; no appeal was lodged.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(
      `Record the decision on objection #${citizen.objectionId}`,
    );
    await page.keyboard.press('Enter');

    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Objection #${citizen.objectionId}` })
          .count(),
      )
      .toBe(1);
    // It left the open queue; under "Decided" it shows the decision with its reasons.
    await expect.poll(() => card.count()).toBe(0);
    await page.getByLabel('Show').selectOption('decided');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain('The court confirmed the judgment stands');
    const after = await api<{ objections: { id: number; decision: { outcome: string } | null }[] }>(
      '/v1/objections?status=all',
      'operator',
    );
    expect(after.objections.find((o) => o.id === citizen.objectionId)?.decision?.outcome).toBe(
      'record_confirmed',
    );
    await page.context().close();
  });

  it('opens a subject’s file only with a purpose, which its access log then shows', async () => {
    const page = await consolePage('operator', 'en', '/subjects');
    const submit = page.getByRole('button', { name: 'Open the file' });
    await page
      .getByLabel('Resident ID number, Unified Social Credit Code or organization name')
      .fill(citizen.identifier);
    expect(await submit.isDisabled()).toBe(true);
    const why = 'console browser test: review of an objection';
    await page.getByLabel('Purpose of this look-up (required)').fill(why);
    await submit.click();
    const file = page.getByTestId('subject-file');
    await file.waitFor();
    expect(await file.locator('h2').first().innerText()).toContain(citizen.name);
    expect(await file.innerText()).toContain(`#${citizen.recordId}`);
    await expect.poll(() => file.getByRole('table').last().innerText()).toContain(why);
    await page.getByRole('button', { name: 'Explain the score' }).click();
    await expect.poll(() => page.getByText('Sub-scores by domain').count()).toBe(1);
    await expectAccessible(page, 'a subject’s file in the console');
    await screenshot(page, 'console-file-en');

    // An organization by its name: the public search lists it, and its file opens with the purpose.
    const found = await fetch(`${server.url}/v1/public/search?q=${encodeURIComponent('有限公司')}&limit=1`);
    const org = ((await found.json()) as { results: { identifier: string; name: string }[] }).results[0]!;
    await page
      .getByLabel('Resident ID number, Unified Social Credit Code or organization name')
      .fill(org.name);
    await submit.click();
    await page.getByRole('button', { name: `Open the file of ${org.name}` }).click();
    await expect.poll(() => file.locator('h2').first().innerText()).toContain(org.identifier);
    await expect.poll(() => file.getByRole('table').last().innerText()).toContain(why);
    await page.context().close();
  });
});
