/**
 * What makes the OpenAPI document one a client generator can use: every operation named
 * (`operationId`, from its method and path unless the route names it), and no component schema
 * that nothing refers to (the zod provider emits an input twin of every named schema).
 */
const pascal = (word: string) =>
  word
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * `GET /v1/subjects/:id/score` → `getSubjectsByIdScore`; `POST /v1/me/objections/{id}/appeal` →
 * `postMeObjectionsByIdAppeal`. Unique because a method and a path are.
 */
export const operationIdFor = (method: string, url: string): string =>
  method.toLowerCase() +
  url
    .split('?')[0]!
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => {
      const param = /^[:{](\w+)}?$/.exec(s);
      return param ? `By${pascal(param[1]!)}` : pascal(s.replace(/\./g, '-'));
    })
    .join('');

/** Wraps the schema transform so that each operation gets its `operationId`. */
export const withOperationIds =
  <
    I extends { url: string; route: { method: string | string[] } },
    O extends { schema?: unknown; url?: string },
  >(
    transform: (input: I) => O,
  ) =>
  (input: I): O => {
    const out = transform(input);
    const method = input.route.method;
    const schema = out.schema as { operationId?: string } | undefined;
    if (typeof method === 'string' && schema && !schema.operationId)
      return { ...out, schema: { ...schema, operationId: operationIdFor(method, out.url ?? input.url) } };
    return out;
  };

const refsIn = (node: unknown, into: Set<string>) => {
  if (Array.isArray(node)) for (const n of node) refsIn(n, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.add(v);
      else refsIn(v, into);
    }
  }
};

const PREFIX = '#/components/schemas/';

/** Drops the component schemas that no path (or used component) refers to. */
export const pruneUnusedSchemas = <
  T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } },
>(
  doc: T,
): T => {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  refsIn(doc.paths, used);
  // Follow references between components until nothing new is reached.
  let frontier = [...used];
  while (frontier.length > 0) {
    const next = new Set<string>();
    for (const ref of frontier) {
      if (!ref.startsWith(PREFIX)) continue;
      refsIn(schemas[ref.slice(PREFIX.length)], next);
    }
    frontier = [...next].filter((r) => !used.has(r));
    for (const r of frontier) used.add(r);
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(PREFIX + name)));
  return { ...doc, components: { ...doc.components, schemas: kept } };
};

type Operation = { security?: unknown[]; responses?: Record<string, unknown> };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Methods whose requests carry a body that Fastify reads (and may refuse) before the route. */
const WITH_BODY = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The refusals every operation may give besides its own, in the one error shape (errors.ts): 429
 * past a rate limit (every route but the health probes), 401 without credentials (every route that
 * is not public, refused before its body is read), 413 and 415 for a body too large or of a media
 * type it does not take (every method with a body), 414 for a path part longer than the router
 * takes (every path with a parameter).
 */
export const withEdgeResponses = <T extends { paths?: object }>(doc: T, errorRef = `${PREFIX}Error`): T => {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: errorRef } } },
  });
  const paths = Object.fromEntries(
    Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>).map(([path, ops]) => [
      path,
      Object.fromEntries(
        Object.entries(ops ?? {}).map(([method, op]) => {
          if (!METHODS.has(method) || path.startsWith('/health')) return [method, op];
          const o = op as Operation;
          const responses = { ...o.responses };
          responses['429'] ??= error('Too many requests: past a rate limit; see Retry-After');
          const isPublic = Array.isArray(o.security) && o.security.length === 0;
          if (!isPublic) responses['401'] ??= error('Missing, unknown, revoked or expired credentials');
          if (WITH_BODY.has(method)) {
            responses['413'] ??= error('The body is larger than this operation takes');
            responses['415'] ??= error('The body is of a media type this operation does not take');
          }
          if (path.includes('{'))
            responses['414'] ??= error('A part of the path is longer than the API takes');
          return [method, { ...o, responses }];
        }),
      ),
    ]),
  );
  return { ...doc, paths };
};
