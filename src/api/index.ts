/** The HTTP API's face: build the app in-process (tests, embedding) or start it listening. */
import { readFile } from 'node:fs/promises';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import type { Lifecycle } from './routes/health.ts';

export { type BuildOptions, buildApp, DEFAULT_BODY_LIMIT, TIMEOUTS } from './app.ts';
export { HTTP_STATUS } from './errors.ts';
export { ensureWebBuilt } from './web.ts';

/** How long requests in flight may take to finish once the server begins to shut down. */
export const DRAIN_MS = 10_000;

export interface RunningServer {
  url: string;
  /**
   * Drains: readiness turns 503 and new requests are refused, the server stops accepting
   * connections, and requests in flight finish (those still running after `drainMs` are cut off).
   * The platform stays open.
   */
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** Starts listening, over HTTPS when the configuration names a certificate (Config.tls). */
export const startServer = async (
  platform: Platform,
  opts: { host: string; port: number },
): Promise<RunningServer> => {
  const tls = platform.config.tls;
  const lifecycle: Lifecycle = { draining: false };
  const app = await buildApp(platform, {
    lifecycle,
    ...(tls ? { https: { cert: await readFile(tls.certFile), key: await readFile(tls.keyFile) } } : {}),
  });
  const url = await app.listen({ host: opts.host, port: opts.port });
  let closing: Promise<void> | undefined;
  return {
    url,
    close: ({ drainMs = DRAIN_MS } = {}) => {
      closing ??= (async () => {
        lifecycle.draining = true;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            app.server.closeAllConnections();
            resolve();
          }, drainMs);
        });
        await Promise.race([app.close(), late]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
};
