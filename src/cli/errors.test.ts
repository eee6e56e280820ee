import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ensureDir } from '../shared/ensure-dir.ts';
import { EXIT, reportError } from './errors.ts';

describe('reportError on file system refusals', () => {
  const root = mkdtempSync(join(tmpdir(), 'credence-errors-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());
  const report = (e: unknown) => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    return { code: reportError(e), text: lines.join('') };
  };

  it('says what went wrong in one line, exit 2, when Node gives no path (a folder read as a file)', async () => {
    const e = await readFile(root).catch((x: unknown) => x);
    expect((e as NodeJS.ErrnoException).code).toBe('EISDIR');
    expect((e as NodeJS.ErrnoException).path).toBeUndefined();
    const { code, text } = report(e);
    expect(code).toBe(EXIT.usage);
    expect(text).toBe(
      'error: a path given is a folder, not a file (EISDIR: illegal operation on a directory, read)\n',
    );
  });

  it.runIf(existsSync('/proc/self'))(
    'names the folder that cannot be made, as a usage error rather than a missing file',
    () => {
      const e = (() => {
        try {
          ensureDir('/proc/nope/x');
        } catch (x) {
          return x;
        }
      })();
      const { code, text } = report(e);
      expect(code).toBe(EXIT.usage);
      expect(text).toBe('error: /proc/nope: cannot create this folder (no such file or directory)\n');
    },
  );
});
