/**
 * Progress for long work: a bar on a terminal, a line every few seconds otherwise (CI logs,
 * pipes), nothing when quiet. Always on stderr so stdout stays machine-readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** `total`: the work's size when it is learned only once the work has begun (0 at the start). */
  update(done: number, extra?: string, total?: number): void;
  stop(): void;
}

export const startProgress = (
  label: string,
  total: number,
  opts: { quiet?: boolean; unit?: string } = {},
): Progress => {
  if (opts.quiet) return { update() {}, stop() {} };
  const unit = opts.unit ?? 'items';
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {extra} | eta {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { extra: '' });
    return {
      update: (done, extra = '', size) => {
        if (size !== undefined && size !== total) {
          total = size;
          bar.setTotal(Math.max(total, 1));
        }
        bar.update(Math.min(done, Math.max(total, 1)), { extra });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  const t0 = Date.now();
  return {
    update(done, extra = '', size) {
      if (size !== undefined) total = size;
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      const pct = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : '';
      process.stderr.write(
        `${label}: ${done}/${total} ${unit}${pct} ${extra} [${((now - t0) / 1000).toFixed(0)} s]\n`,
      );
    },
    stop() {},
  };
};
