import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/api/web.ts';

/** The public lookup's first load: the page's module script and every module it preloads. */
const firstLoadScripts = async (): Promise<string[]> => {
  const html = await readFile(join(WEB_DIST, 'index.html'), 'utf8');
  const srcs = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!);
  return [...new Set(srcs)];
};

describe('the public lookup’s first load (built by the test set-up)', () => {
  it('ships at most 250 KB of compressed JavaScript, charts and the signed-in areas left out', async () => {
    const scripts = await firstLoadScripts();
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const src of scripts) {
      gzipped += (await stat(join(WEB_DIST, `${src.replace(/^\//, '')}.gz`))).size;
      const text = await readFile(join(WEB_DIST, src.replace(/^\//, '')), 'utf8');
      // The chart library belongs to the portal's and the console's chunks only.
      expect(text.includes('Chart.js'), `${src} carries the chart library`).toBe(false);
    }
    expect(gzipped, `first load: ${gzipped} bytes gzip`).toBeLessThanOrEqual(250 * 1024);
  });
});
