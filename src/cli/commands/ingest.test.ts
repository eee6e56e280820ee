/** `credence ingest` refuses a file over its size limit, or one that is not a file, before reading it. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFolder } from '../../../test/cli-run.ts';
import { formatSize, parseSize } from './ingest.ts';

describe('credence ingest limits', () => {
  const f = cliFolder('ingest-limits');

  it('refuses a file over --max-file-size, naming the limit, and a device, with exit 2', () => {
    expect(f.run(['init']).code).toBe(0);
    expect(f.run(['sources', 'add', 'court-cli', '--kind', 'court']).code).toBe(0);
    const file = join(f.dir, 'big.ndjson');
    writeFileSync(file, `${'{}\n'.repeat(1000)}`);
    const r = f.run(['ingest', file, '--source', 'court-cli', '--max-file-size', '1K', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is 2.9 KiB, over the limit of 1 KiB for one file');
    expect(r.err).toContain('--max-file-size');
    const dev = f.run(['ingest', '/dev/zero', '--source', 'court-cli', '--quiet']);
    expect(dev.code).toBe(2);
    expect(dev.err).toContain('/dev/zero is not a regular file');
    // Under the limit it is read (every line refused: no record in it).
    expect(f.run(['ingest', file, '--source', 'court-cli', '--max-file-size', '1M', '--quiet']).code).toBe(1);
  });

  it('reads sizes with binary units', () => {
    expect(parseSize('8G')).toBe(8 * 1024 ** 3);
    expect(parseSize('500MiB')).toBe(500 * 1024 ** 2);
    expect(parseSize('4096')).toBe(4096);
    expect(() => parseSize('lots')).toThrow(/500M or 8G/);
    expect(formatSize(8 * 1024 ** 3)).toBe('8 GiB');
  });

  it('shows the default size once, as a person reads it', () => {
    const help = f.run(['ingest', '--help']).out.replace(/\s+/g, ' ');
    expect(help).toContain('(bytes, or with K, M, G, T) (default: 8 GiB)');
    expect(help).not.toContain('8589934592');
    expect(help.match(/8 GiB/g)).toHaveLength(1);
  });
});
