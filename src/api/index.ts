/** The HTTP API's face: build the app in-process (tests, embedding) or start it listening. */
import { readFile } from 'node:fs/promises';
import { Server as NetServer } from 'node:net';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import type { Lifecycle } from './routes/health.ts';

export { type BuildOptions, buildApp, DEFAULT_BODY_LIMIT, TIMEOUTS } from './app.ts';
export { HTTP_STATUS } from './errors.ts';
export { ensureWebBuilt } from './web.ts';

/** How long requests in flight may take to finish once the server begins to shut down. */
export const DRAIN_MS = 10_000;
/**
 * How long, at most, kept-alive connections are still read once the server begins to shut down:
 * a request on one is answered 503 with `connection: close` (send it again elsewhere) rather than
 * finding its socket reset. The drain moves on as soon as no connection is left open.
 */
export const QUIET_MS = 1_000;

export interface RunningServer {
  url: string;
  /**
   * Drains: readiness turns 503 and new requests are refused (503, `connection: close`) for up to
   * `quietMs` while connections are still open, then the server stops accepting connections, closes
   * the idle ones, and requests in flight finish (those still running after `drainMs` are cut off).
   * The platform stays open.
   */
  close(opts?: { drainMs?: number; quietMs?: number }): Promise<void>;
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
    close: ({ drainMs = DRAIN_MS, quietMs = QUIET_MS } = {}) => {
      closing ??= (async () => {
        lifecycle.draining = true;
        // Closing an idle kept-alive socket races with the request its client may be sending on it
        // (the client sees a reset, not an answer). So first stop accepting connections only (net's
        // close: http's own close would also close the idle ones at once), and let the clients in
        // the middle of their work learn of the shutdown: each next request gets the 503 and its
        // connection closes. Fastify's close below then closes what is left idle.
        NetServer.prototype.close.call(app.server);
        const until = Date.now() + Math.min(quietMs, drainMs);
        while (Date.now() < until && (await openConnections(app.server)) > 0)
          await new Promise((r) => setTimeout(r, 20));
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

const openConnections = (server: NetServer) =>
  new Promise<number>((resolve) => server.getConnections((e, n) => resolve(e ? 0 : n)));
