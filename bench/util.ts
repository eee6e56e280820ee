/** Helpers shared by benches: argument parsing, peak memory, one JSON line out. */
export const intArg = (args: Record<string, string>, name: string, dflt: number): number => {
  const v = args[name];
  if (v === undefined) return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
};

/** Peak resident set size of this process so far, in bytes. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

export const log = (msg: string) => process.stderr.write(`${msg}\n`);
