import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
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

interface OwnFile {
  score: { score: number; grade: string };
  records: { id: number; status: string; points: number }[];
}

/**
 * Across the three areas: a citizen objects to a record in the portal, an operator removes it in
 * the console, and the citizen then sees the corrected file and grade — and the public sees nothing
 * of a person.
 */
describe.skipIf(skip)('an objection from the citizen portal decided in the operator console', () => {
  let server: RunningConsole;
  let browser: Browser;
  const own = async (): Promise<OwnFile> => {
    const res = await fetch(`${server.url}/v1/me`, {
      headers: { authorization: `Bearer ${server.token('subject')}` },
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<OwnFile>;
  };
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), openBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('removes the record, and the citizen sees the corrected file and grade', async () => {
    const before = await own();
    // The record that weighs most on the citizen's score.
    const target = before.records
      .filter((r) => r.status === 'active' && r.points < 0)
      .sort((a, b) => a.points - b.points)[0];
    expect(target, 'the demo citizen has a negative record in force').toBeDefined();

    // The citizen files the objection in the portal.
    const citizen = await newPage(browser, { lang: 'en' });
    await signIn(citizen, server.url, server.token('subject'));
    await citizen.goto(`${server.url}/me`);
    await expect
      .poll(() => citizen.getByTestId('score').innerText())
      .toBe(before.score.score.toLocaleString('en'));
    await screenshot(citizen, 'due-process-1-citizen-before-en');
    await citizen.goto(`${server.url}/me/objections`);
    await citizen.getByLabel('Record', { exact: true }).selectOption(`r:${target!.id}`);
    await citizen.getByLabel('What is wrong with it').fill('The debt was paid before the judgment.');
    await citizen.getByRole('button', { name: 'File the objection' }).click();
    await citizen.getByTestId('objection-filed').waitFor();
    const mine = await fetch(`${server.url}/v1/me/objections`, {
      headers: { authorization: `Bearer ${server.token('subject')}` },
    }).then(
      (r) =>
        r.json() as Promise<{ objections: { id: number; record_id?: number; record?: { id: number } }[] }>,
    );
    const objection = mine.objections[0]!;

    // The operator removes the record in the console, by the decision form's labels.
    const operator = await newPage(browser, { lang: 'en' });
    await signIn(operator, server.url, server.token('operator'), '/console/objections');
    await operator.goto(`${server.url}/console/objections`);
    await operator.getByRole('button', { name: `Decide objection #${objection.id}` }).click();
    await operator.getByLabel('Remove the record').check();
    await operator.getByLabel('Reasons (shown to the subject)').fill('The court confirms the debt was paid.');
    await screenshot(operator, 'due-process-2-operator-decides-en');
    await operator.getByRole('button', { name: `Record the decision on objection #${objection.id}` }).click();
    await operator
      .getByRole('status')
      .filter({ hasText: `#${objection.id}` })
      .waitFor();

    // The citizen sees the corrected file: the record no longer counts, the score and grade follow.
    const after = await own();
    expect(after.records.find((r) => r.id === target!.id)?.points).toBe(0);
    expect(after.score.score).toBeGreaterThan(before.score.score);
    await citizen.goto(`${server.url}/me`);
    await expect
      .poll(() => citizen.getByTestId('score').innerText())
      .toBe(after.score.score.toLocaleString('en'));
    await expect.poll(() => citizen.locator('.score-card .grade').innerText()).toBe(after.score.grade);
    await citizen.goto(`${server.url}/me/objections`);
    await expect.poll(() => citizen.getByTestId('objection').first().innerText()).toMatch(/removed/i);
    await screenshot(citizen, 'due-process-3-citizen-after-en');

    // The same corrected file on a phone, without sideways scrolling.
    const phone = await newPage(browser, { lang: 'zh', viewport: PHONE });
    await signIn(phone, server.url, server.token('subject'));
    await phone.goto(`${server.url}/me`);
    await phone.getByTestId('score').waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'due-process-4-citizen-phone-zh');
    for (const p of [citizen, operator, phone]) await p.context().close();
  });
});
