/**
 * The public lookup in a real browser against `credence start` with the demo population: find an
 * organization by its code and by part of its Chinese name, read its grade and list entries, browse
 * a list page by page, switch the language to French and back, and scan every public page with axe.
 * Screenshots of the search results and an organization's page in each language.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResidentId } from '../../src/identity/index.ts';
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
  startConsole,
} from './harness.ts';

const skip = browserSkipReason();

interface OrgPage {
  identifier: string;
  name: string;
  grade: string | null;
  key_factors: { type_name: string }[];
  lists: { list: string; kind: 'black' | 'red' | 'focus'; case_reference: string | null }[];
  inspections: unknown[];
  ratings: { professionalism: { published: boolean; held: number } };
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

describe.skipIf(skip)('the public lookup', () => {
  let server: RunningConsole;
  let browser: Browser;
  /**
   * A demo organization on a list (the one with the most published on its page, for the
   * screenshots), and a two-character part of its name the API's search finds it by.
   */
  let org: OrgPage & { part: string };
  /** The list with the most entries in force (more than one page of them). */
  let biggest: { code: string; in_force: number };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), openBrowser()]);
    const api = `${server.url}/v1/public`;
    const { lists } = await getJson<{ lists: { code: string; in_force: number }[] }>(`${api}/lists`);
    biggest = [...lists].sort((a, b) => b.in_force - a.in_force)[0]!;

    // Every organization the demo listed, read as the public reads it.
    const listed = new Set<string>();
    for (const l of lists) {
      for (let page: number | null = 1; page; ) {
        const d: {
          entries: { subject: { kind: string; identifier: string | null } }[];
          next_page: number | null;
        } = await getJson(`${api}/lists/${encodeURIComponent(l.code)}?page=${page}&limit=100`);
        for (const e of d.entries) if (e.subject.kind !== 'person') listed.add(e.subject.identifier!);
        page = d.next_page;
      }
    }
    const pages = await Promise.all(
      [...listed].map((id) => getJson<OrgPage>(`${api}/organizations/${encodeURIComponent(id)}`)),
    );
    const shown = (o: OrgPage) =>
      (o.ratings.professionalism.published ? 4 : o.ratings.professionalism.held > 0 ? 1 : 0) +
      (o.inspections.length > 0 ? 2 : 0) +
      (o.lists.some((e) => e.kind === 'black') ? 1 : 0);
    const chosen = pages.sort((a, b) => shown(b) - shown(a))[0];
    if (!chosen) throw new Error('the demo listed no organization');
    expect(chosen.lists.length).toBeGreaterThan(0);

    // A two-character part of its name that finds it among a handful of others (at most 8).
    let best: { part: string; n: number } | undefined;
    const chars = [...chosen.name];
    for (let i = 0; i + 2 <= chars.length; i++) {
      const part = chars.slice(i, i + 2).join('');
      const { results } = await getJson<{ results: { identifier: string }[] }>(
        `${api}/search?q=${encodeURIComponent(part)}&limit=50`,
      );
      if (!results.some((r) => r.identifier === chosen.identifier)) continue;
      const n = results.length;
      if (!best || (n <= 8 && (best.n > 8 || n > best.n)) || (n > 8 && best.n > 8 && n < best.n))
        best = { part, n };
    }
    if (!best) throw new Error(`the API's search finds ${chosen.name} by no two-character part of its name`);
    org = { ...chosen, part: best.part };
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const search = async (page: Page, q: string) => {
    await page.getByRole('searchbox').fill(q);
    await page.getByRole('searchbox').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === q);
    await page.getByTestId('search-results').waitFor();
  };
  const resultLink = (page: Page) =>
    page.getByTestId('search-results').getByRole('link', { name: org.name, exact: true });

  it('finds an organization by part of its Chinese name, and by its code', async () => {
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('信用信息查询');
    // Persons are never searchable, and the page says so.
    expect(await page.locator('main').innerText()).toContain('不提供自然人信息查询');
    await expectAccessible(page, 'search page');

    await search(page, org.part);
    await resultLink(page).waitFor();
    await page.setViewportSize(PHONE);
    expect(await scrollsSideways(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Every result is an organization's or public body's page.
    const hrefs = await page
      .getByTestId('search-results')
      .locator('h3 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^\/org\//);
    await expectAccessible(page, 'search results');

    // The query is in the URL: a reload shows the same results, and back returns to them.
    await page.reload();
    await resultLink(page).waitFor();
    expect(await page.getByRole('searchbox').inputValue()).toBe(org.part);

    await search(page, org.identifier);
    const cards = page.getByTestId('search-results').locator('li.result');
    await expect.poll(() => cards.count()).toBe(1);
    await resultLink(page).waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('q') === org.part);
    await resultLink(page).waitFor();
    expect(await page.getByRole('searchbox').inputValue()).toBe(org.part);
    await page.context().close();
  });

  it('shows an organization’s grade and list entries, and "not found" for anything else', async () => {
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(`${server.url}/?q=${encodeURIComponent(org.identifier)}`);
    await resultLink(page).click();
    await page.waitForURL((u) => u.pathname === `/org/${org.identifier}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(org.name);
    expect((await page.getByTestId('org-grade').innerText()).trim()).toBe(org.grade ?? '未评级');
    // The grade comes with the records behind it (product rule 5), each with its day.
    expect(await page.locator('main').innerText()).toContain('评级依据');
    // A listed organization's list entry rests on a record that counts.
    expect(org.key_factors.length).toBeGreaterThan(0);
    const factors = page.getByTestId('org-factors').locator('li');
    expect(await factors.count()).toBe(org.key_factors.length);
    expect(await factors.first().innerText()).toContain(org.key_factors[0]!.type_name);
    const lists = page.getByTestId('org-lists');
    await lists.waitFor();
    const rows = lists.locator('tbody tr');
    expect(await rows.count()).toBe(org.lists.length);
    for (const [i, e] of org.lists.entries()) {
      const row = rows.nth(i);
      expect(await row.innerText()).toContain(
        { black: '黑名单', red: '红名单', focus: '重点关注名单' }[e.kind],
      );
      if (e.case_reference) expect(await row.innerText()).toContain(e.case_reference);
      expect(await row.getByRole('link').getAttribute('href')).toBe(`/lists/${encodeURIComponent(e.list)}`);
    }
    expect(await page.locator('main').innerText()).toContain('双随机抽查结果');
    expect(await page.locator('main').innerText()).toContain('群众评价');
    await expectAccessible(page, 'organization page');

    // A phone-sized screen shows it without sideways scrolling.
    await page.setViewportSize(PHONE);
    expect(await scrollsSideways(page)).toBe(false);

    // An unknown code and the demo citizen's own resident ID number get the same "not found": the
    // page never tells that a person holds an identifier.
    const citizen = server.credentials.find((c) => c.role === 'subject')?.ref;
    expect(citizen).toMatch(/^\d{17}[\dX]$/);
    for (const id of ['91000000MA00000000', citizen!]) {
      await page.goto(`${server.url}/org/${id}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('未找到');
    }
    await expectAccessible(page, 'organization not found');
    await page.context().close();
  });

  it('browses a list page by page', async () => {
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(`${server.url}/lists`);
    await page.getByTestId('lists').waitFor();
    await expectAccessible(page, 'lists page');
    await screenshot(page, 'public-lists-zh');
    await page.locator(`a[href="/lists/${encodeURIComponent(biggest.code)}"]`).click();
    await page.waitForURL((u) => u.pathname === `/lists/${encodeURIComponent(biggest.code)}`);
    const rows = page.getByTestId('list-entries').locator('tbody tr');
    await rows.first().waitFor();
    const firstOnPage1 = await rows.first().innerText();
    expect(await page.locator('main').innerText()).toContain('第 1 页');
    await expectAccessible(page, 'list page');

    await page.getByRole('link', { name: '下一页' }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await expect.poll(() => page.locator('main').innerText()).toContain('第 2 页');
    await expect.poll(() => rows.first().innerText()).not.toBe(firstOnPage1);

    await page.getByRole('link', { name: '上一页' }).click();
    await page.waitForURL((u) => !u.searchParams.has('page'));
    await expect.poll(() => rows.first().innerText()).toBe(firstOnPage1);
    await screenshot(page, 'public-list-zh');

    // An organization on the list links to its page; a person is never a link.
    const links = await page
      .getByTestId('list-entries')
      .locator('tbody a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const h of links) expect(h).toMatch(/^\/org\//);
    await page.setViewportSize(PHONE);
    expect(await scrollsSideways(page)).toBe(false);
    await page.context().close();
  });

  it('shows a person on the court’s list only as the court publishes one: name and masked ID, no link', async () => {
    const { lists } = await getJson<{
      lists: { code: string; publishes_persons: boolean; in_force: number }[];
    }>(`${server.url}/v1/public/lists`);
    const court = lists.find((l) => l.publishes_persons && l.in_force > 0);
    expect(court, 'a list that publishes persons, with entries').toBeDefined();
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(`${server.url}/lists/${encodeURIComponent(court!.code)}`);
    const rows = page.getByTestId('list-entries').locator('tbody tr');
    await rows.first().waitFor();
    let persons = 0;
    for (const row of await rows.all()) {
      const id = (await row.locator('td').nth(1).innerText()).trim();
      // An organization's 18-character code may be all digits too; only a valid resident ID counts.
      if (validateResidentId(id).ok) throw new Error(`an unmasked ID number on the list page: ${id}`);
      if (!id.includes('*')) continue;
      persons++;
      expect(await row.locator('a').count()).toBe(0);
    }
    expect(persons).toBeGreaterThan(0);
    expect(await page.locator('main').innerText()).toContain('自然人仅按法院公布的内容显示');
    await page.context().close();
  });

  it('switches the language to French and back to Chinese', async () => {
    const page = await newPage(browser, { lang: 'zh' });
    await page.goto(`${server.url}/org/${encodeURIComponent(org.identifier)}`);
    const h2 = page.locator('#lists-heading');
    await expect.poll(() => h2.innerText()).toBe('有效名单信息');
    await page.getByLabel('语言').selectOption('fr');
    await expect.poll(() => h2.innerText()).toBe('Inscriptions en vigueur');
    expect(await page.getByTestId('org-lists').innerText()).toContain(
      { black: 'Liste noire', red: 'Liste rouge', focus: 'Liste de vigilance' }[org.lists[0]!.kind],
    );
    await page.getByTestId('language').selectOption('zh');
    await expect.poll(() => h2.innerText()).toBe('有效名单信息');
    await page.context().close();
  });

  it.each<Lang>(['zh', 'en', 'fr'])(
    'saves screenshots of the search results and an organization (%s)',
    async (lang) => {
      const page = await newPage(browser, { lang });
      await page.goto(`${server.url}/?q=${encodeURIComponent(org.part)}`);
      await resultLink(page).waitFor();
      await screenshot(page, `public-search-${lang}`);
      await resultLink(page).click();
      await page.getByTestId('org-lists').waitFor();
      await screenshot(page, `public-org-${lang}`);
      await expectAccessible(page, `organization page (${lang})`);
      await page.context().close();
    },
  );
});
