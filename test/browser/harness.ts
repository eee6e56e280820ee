/**
 * Browser tests: a real Credence server (`credence start` with a small demo population, in a child
 * process on a loopback port, its own data folder) and Debian's Chromium driven by playwright-core.
 * Screenshots go to artifacts/screenshots/ (kept by CI); axe-core scans each page.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');

const isCi = () => {
  const ci = process.env['CI'];
  return !!ci && ci !== 'false' && ci !== '0';
};

/** Why the browser tests cannot run here (no Chromium), or undefined. CI must have it. */
export const browserSkipReason = (): string | undefined => {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `Chromium not found at ${CHROMIUM} (install Debian package chromium)`;
  if (isCi()) throw new Error(`${reason}: CI requires it`);
  return reason;
};

export interface DemoCredential {
  role: string;
  label: string;
  ref?: string;
  token: string;
}

export interface RunningConsole {
  url: string;
  dataDir: string;
  credentials: DemoCredential[];
  /** The demo credential of a role (the first one when there are several). */
  token(role: string): string;
  close(): Promise<void>;
}

/** Starts `credence start` with a small demo population and waits until it serves. */
export const startConsole = async (
  opts: { persons?: number; organizations?: number; env?: Record<string, string> } = {},
): Promise<RunningConsole> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'credence-browser-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--max-semi-space-size=64',
      join(ROOT, 'bin', 'credence.js'),
      'start',
      '--port',
      '0',
      '--quiet',
      '--persons',
      String(opts.persons ?? 3000),
      '--organizations',
      String(opts.organizations ?? 400),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start in 150 s:\n${output}`)), 150_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Credence is running at (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (${code}) before serving:\n${output}`));
    });
  });
  const credentials: DemoCredential[] = JSON.parse(
    await readFile(join(dataDir, 'demo-credentials.json'), 'utf8'),
  );
  return {
    url,
    dataDir,
    credentials,
    token: (role) => {
      const c = credentials.find((x) => x.role === role);
      if (!c) throw new Error(`no demo credential for role ${role}`);
      return c.token;
    },
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export const openBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

export type Lang = 'zh' | 'en' | 'fr';
export const PHONE = { width: 390, height: 844 };

/** A fresh page (own cookies and storage) in a language, at a viewport size. */
export const newPage = async (
  browser: Browser,
  opts: { lang?: Lang; viewport?: { width: number; height: number } } = {},
): Promise<Page> => {
  const lang = opts.lang ?? 'zh';
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: lang === 'zh' ? 'zh-CN' : lang,
  });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('credence.lang')) localStorage.setItem('credence.lang', l);
  }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // What the page's content security policy refused: it should refuse nothing the console does.
  const refused: string[] = [];
  cspRefusals.set(page, refused);
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return page;
};

/** Signs in through the sign-in page with a credential and waits to leave it. */
export const signIn = async (page: Page, baseUrl: string, token: string, next?: string) => {
  await page.goto(`${baseUrl}/signin${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.locator('#credential').fill(token);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
};

const cspRefusals = new WeakMap<Page, string[]>();

/**
 * Fails on any serious or critical axe-core violation, naming the rule and the elements, and on
 * anything the page's content security policy refused so far.
 */
export const expectAccessible = async (page: Page, label: string) => {
  expect(cspRefusals.get(page) ?? [], `${label}: refused by the content security policy`).toEqual([]);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  expect(bad.length, `${label}: axe found\n${text}`).toBe(0);
};

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png. */
export const screenshot = async (page: Page, name: string) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** True when the page scrolls sideways (wider than the viewport). */
export const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/**
 * The words of table headings that the page shows split across two lines ("Purp-ose"): each
 * space-separated word of each visible `th`, measured by the lines its characters fall on. For
 * languages written with spaces between words (ideographs may wrap anywhere).
 */
export const headingsSplitMidWord = (page: Page) =>
  page.evaluate(() => {
    const split: string[] = [];
    for (const th of document.querySelectorAll('th')) {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        for (const m of (n.textContent ?? '').matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const lines = new Set(
            [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
          );
          if (lines.size > 1) split.push(m[0]);
        }
    }
    return split;
  });
