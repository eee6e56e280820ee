import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from './progress.ts';

describe('progress on a pipe', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts against a total learned once the work has begun (lists recompute knows it only then)', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      lines.push(String(s));
      return true;
    });
    const bar = startProgress('lists', 0, { unit: 'subjects' });
    bar.update(5, '', 20);
    bar.stop();
    expect(lines.join('')).toMatch(/^lists: 5\/20 subjects \(25%\)/);
  });
});
