import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDir } from './ensure-dir.ts';

describe('ensureDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'credence-ensure-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the missing levels and returns the top-most one it created; nothing when the folder is there', () => {
    const deep = join(root, 'a', 'b', 'c');
    expect(ensureDir(deep)).toBe(join(root, 'a'));
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(ensureDir(deep)).toBeUndefined();
    expect(ensureDir(join(root, 'a', 'b', 'd'))).toBe(join(root, 'a', 'b', 'd'));
  });

  it('refuses a path through a file with ENOTDIR, creating nothing', () => {
    const file = join(root, 'plain.txt');
    writeFileSync(file, 'x');
    for (const dir of [file, join(file, 'sub'), join(file, 'sub', 'deeper')])
      expect(() => ensureDir(dir)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.runIf(existsSync('/proc/self'))(
    'under /proc, where recursive mkdir spins forever, throws the ENOENT of the level it cannot make',
    () => {
      expect(() => ensureDir('/proc/nope/x/y')).toThrow(
        expect.objectContaining({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/nope' }),
      );
    },
  );
});
