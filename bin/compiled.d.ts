// Types of compiled.js (plain JavaScript, so that it runs before any TypeScript loader).

/** The project's folder. */
export declare const ROOT: string;

/** The command line, and the worker threads it starts whose code is TypeScript. */
export declare const CLI: { entry: string; workers: string[] };

export interface BundleOptions {
  /** Where bundles and their manifests are kept (default: node_modules/.cache/credence under root). */
  cacheDir?: string;
  /** Entries of worker threads (paths under root), compiled into the same bundle. */
  workers?: string[];
}

/** The bundle of `entry` (a path under `root`), built when missing or stale; null when none can be. */
export declare function prepareBundle(
  root: string,
  entry: string,
  opts?: BundleOptions,
): Promise<string | null>;

/** Imports `entry` from its bundle, or through tsx when there is none. */
export declare function importSource(root: string, entry: string, opts?: BundleOptions): Promise<unknown>;
