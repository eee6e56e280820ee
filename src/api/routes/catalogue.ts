/** The published catalogue of lawful record types (product rule 1): public. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AMOUNT_KINDS,
  type CatalogueItem,
  DIRECT_GRADES,
  DOMAINS,
  POLARITIES,
  SEVERITIES,
  SOURCE_KINDS,
  SUBJECT_KINDS,
} from '../../catalogue/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';

const recordTypeSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    description: z.string(),
    domain: z.enum(DOMAINS),
    subject_kinds: z.array(z.enum(SUBJECT_KINDS)),
    polarity: z.enum(POLARITIES),
    severity: z.enum(SEVERITIES),
    points: z.number().int(),
    direct_grade: z.enum(DIRECT_GRADES).nullable(),
    validity_years: z.number(),
    amount: z.enum(AMOUNT_KINDS),
    legal_basis: z.string(),
    source_kinds: z.array(z.enum(SOURCE_KINDS)),
  })
  .meta({ id: 'RecordType' });

const catalogueSchema = z.object({
  version: z.string().describe('sha256 of the catalogue file: records and scores cite it'),
  label: z.string(),
  types: z.array(recordTypeSchema),
});

const toRecordType = (t: CatalogueItem): z.infer<typeof recordTypeSchema> => ({
  code: t.code,
  name: t.name,
  description: t.description,
  domain: t.domain,
  subject_kinds: [...t.subject_kinds],
  polarity: t.polarity,
  severity: t.severity,
  points: t.points,
  direct_grade: t.direct_grade ?? null,
  validity_years: t.validity_years,
  amount: t.amount,
  legal_basis: t.legal_basis,
  source_kinds: [...t.source_kinds],
});

export const catalogueRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.get(
    '/catalogue',
    {
      schema: {
        summary: 'The record types a source may submit, each with its legal basis',
        tags: ['catalogue'],
        security: [],
        response: { 200: catalogueSchema, ...errorResponses() },
      },
    },
    // The catalogue is published to everyone (permission catalogue.read covers every role).
    async () => {
      const c = platform.catalogue;
      return { version: c.version, label: c.label, types: c.items.map(toRecordType) };
    },
  );
};
