/** The HTTP API's face: build the app in-process (tests, embedding) or start it listening. */
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';

export { type BuildOptions, buildApp } from './app.ts';
export { HTTP_STATUS } from './errors.ts';
export { ensureWebBuilt } from './web.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts listening; `close` stops accepting requests and waits for those in flight. The platform stays open. */
export const startServer = async (
  platform: Platform,
  opts: { host: string; port: number },
): Promise<RunningServer> => {
  const app = await buildApp(platform);
  const url = await app.listen({ host: opts.host, port: opts.port });
  return { url, close: () => app.close() };
};
