// Writes web/src/api/schema.d.ts from the API's OpenAPI document (see src/api/openapi-client.ts).
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, generateApiTypes } from '../src/api/openapi-client.ts';

await writeFile(API_TYPES_FILE, await generateApiTypes());
process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
