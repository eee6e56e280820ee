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
