import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { operationIdFor, pruneUnusedSchemas } from './openapi.ts';
import { openApiDocument } from './openapi-client.ts';

/**
 * Warnings of the recommended rules still standing, each for a reason: changing a path breaks
 * clients, and the health probes answer no 4xx (they are never limited and need no credentials).
 */
const KNOWN_WARNINGS = new Set(['no-ambiguous-paths', 'operation-4xx-response']);

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended rules: servers, licence, every operation named, no unused schema', async () => {
    const doc = await openApiDocument();
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    const unexpected = problems.filter((p) => !KNOWN_WARNINGS.has(p.ruleId));
    expect(unexpected.map((p) => `${p.ruleId}: ${p.message} ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
    // Only the health probes answer no 4xx: every other operation documents its refusals.
    const no4xx = problems
      .filter((p) => p.ruleId === 'operation-4xx-response')
      .map((p) => decodeURIComponent(p.location[0]?.pointer ?? '').replace(/~1/g, '/'));
    expect(no4xx.filter((pointer) => !pointer.startsWith('#/paths//health'))).toEqual([]);
  });

  it('names operations from their method and path, uniquely', async () => {
    expect(operationIdFor('GET', '/v1/subjects/:id/score')).toBe('getSubjectsByIdScore');
    expect(operationIdFor('POST', '/v1/me/objections/{id}/appeal')).toBe('postMeObjectionsByIdAppeal');
    expect(operationIdFor('GET', '/openapi.json')).toBe('getOpenapiJson');
    const doc = (await openApiDocument()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the 401 and 429 every operation but the public ones and the health probes may give', async () => {
    const doc = (await openApiDocument()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const catalogue = doc.paths['/v1/catalogue']!['get']!;
    expect(Object.keys(catalogue.responses)).toContain('429');
    expect(Object.keys(catalogue.responses)).not.toContain('401');
    const records = doc.paths['/v1/records']!['post']!;
    expect(Object.keys(records.responses)).toEqual(expect.arrayContaining(['401', '429']));
    expect(Object.keys(doc.paths['/health/live']!['get']!.responses)).not.toContain('429');
  });

  it('keeps the schemas a path reaches, directly or through another schema, and drops the rest', () => {
    const doc = {
      paths: { '/a': { get: { responses: { 200: { $ref: '#/components/schemas/A' } } } } },
      components: {
        schemas: { A: { $ref: '#/components/schemas/B' }, B: { type: 'string' }, C: { type: 'number' } },
      },
    };
    expect(Object.keys(pruneUnusedSchemas(doc).components.schemas ?? {})).toEqual(['A', 'B']);
  });
});
