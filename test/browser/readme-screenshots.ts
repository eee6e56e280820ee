// Takes the README's screenshots of the three areas from a fresh demo (`npm run screenshots`):
// the public lookup's organization page (Chinese), the citizen's file (English) and the operator
// console's dashboard (French), each the first screen at a laptop's size, into docs/screenshots/.
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../../src/api/web.ts';
import { newPage, openBrowser, SCREENSHOTS, signIn, startConsole } from './harness.ts';

const DOCS = resolve(fileURLToPath(new URL('../../docs/screenshots', import.meta.url)));
const say = (line: string) => process.stdout.write(`${line}\n`);

await ensureWebBuilt(say);
const [server, browser] = await Promise.all([
  startConsole({ persons: 5000, organizations: 800 }),
  openBrowser(),
]);
try {
  await mkdir(DOCS, { recursive: true });
  await mkdir(SCREENSHOTS, { recursive: true });
  const viewport = { width: 1280, height: 900 };
  const shoot = async (page: Awaited<ReturnType<typeof newPage>>, name: string) => {
    await page.waitForLoadState('networkidle');
    const file = join(DOCS, `${name}.png`);
    await page.screenshot({ path: file });
    await copyFile(file, join(SCREENSHOTS, `readme-${name}.png`));
    say(`wrote ${file}`);
  };

  // The organization on a list with the most published, as the public sees it.
  const lists = (await (await fetch(`${server.url}/v1/public/lists`)).json()) as {
    lists: { code: string; kind: string; in_force: number }[];
  };
  let org: string | undefined;
  // A black-listed organization first: its page shows the most of what the public may see.
  const byKind = [...lists.lists].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'black' ? -1 : 1));
  for (const l of byKind.filter((x) => x.in_force > 0)) {
    const page = (await (await fetch(`${server.url}/v1/public/lists/${l.code}?limit=20`)).json()) as {
      entries: { subject: { identifier: string | null } }[];
    };
    org = page.entries.find((e) => e.subject.identifier)?.subject.identifier ?? undefined;
    if (org) break;
  }
  const pub = await newPage(browser, { lang: 'zh', viewport });
  await pub.goto(`${server.url}/org/${org ?? ''}`);
  await pub.locator('h1').waitFor();
  await shoot(pub, 'public-lookup-zh');

  const citizen = await newPage(browser, { lang: 'en', viewport });
  await signIn(citizen, server.url, server.token('subject'));
  await citizen.goto(`${server.url}/me`);
  await citizen.getByTestId('score').waitFor();
  await shoot(citizen, 'citizen-portal-en');

  const operator = await newPage(browser, { lang: 'fr', viewport });
  await signIn(operator, server.url, server.token('operator'));
  await operator.goto(`${server.url}/console`);
  await operator.locator('canvas').first().waitFor();
  await shoot(operator, 'operator-console-fr');
} finally {
  await browser.close();
  await server.close();
}
