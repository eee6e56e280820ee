/**
 * The web console's typed API client is generated from the app's own OpenAPI document with
 * openapi-typescript into web/src/api/schema.d.ts (`npm run build:api-types`). A test regenerates it
 * and fails when the committed file differs, so the console cannot drift from the API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config.ts';
import { openPlatform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { WEB_ROOT } from './web.ts';

export const API_TYPES_FILE = join(WEB_ROOT, 'src', 'api', 'schema.d.ts');

const HEADER =
  "// Generated from the API's OpenAPI document by `npm run build:api-types`: do not edit by hand.\n" +
  '// A test regenerates it and fails when it differs.\n';

/** The OpenAPI document the app serves at /openapi.json, built on a throw-away store. */
export const openApiDocument = async (): Promise<object> => {
  const dir = await mkdtemp(join(tmpdir(), 'credence-openapi-'));
  const platform = await openPlatform(parseConfig({ DATA_DIR: dir }));
  try {
    const app = await buildApp(platform, { logger: false, web: false });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  }
};

/** The TypeScript text of the client's types for the current API. */
export const generateApiTypes = async (): Promise<string> => {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const doc = await openApiDocument();
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript takes its own OpenAPI3 type
  const ast = await openapiTS(doc as any, { alphabetize: true });
  return HEADER + astToString(ast);
};
