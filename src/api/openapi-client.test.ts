import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from './openapi-client.ts';

describe('the web console’s typed API client', () => {
  it('is generated from the API’s current OpenAPI document (run `npm run build:api-types` when this fails)', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    const fresh = await generateApiTypes();
    expect(committed === fresh, 'web/src/api/schema.d.ts is stale: run `npm run build:api-types`').toBe(true);
  });
});
