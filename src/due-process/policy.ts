/**
 * The due-process policy (policies/due-process.yaml): the clocks of objections, appeals and credit
 * repair, and which record types a repair may not touch. Data only, checked on load.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/index.ts';
import { SEVERITIES, type Severity } from '../catalogue/index.ts';
import { parsePolicyYaml } from '../shared/policy-yaml.ts';

export const DEFAULT_DUE_PROCESS_PATH = fileURLToPath(
  new URL('../../policies/due-process.yaml', import.meta.url),
);

const days = (max: number) =>
  z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: `expected 1 to ${max} days` })
    .max(max, { error: `expected 1 to ${max} days` });
const months = z
  .number({ error: 'expected a whole number of months' })
  .int({ error: 'expected a whole number of months' })
  .min(0, { error: 'expected 0 to 120 months' })
  .max(120, { error: 'expected 0 to 120 months' });

const classSchema = z.strictObject({ minimum_months: months, maximum_display_months: months });

const schema = z.strictObject({
  label: z.string().min(1),
  objections: z.strictObject({
    review_days: days(60),
    review_days_by_list: z.record(z.string(), days(60)).default({}),
    source_notice_working_days: days(30),
    appeal_window_days: days(60),
    appeal_decision_days: days(60),
    bindings_while_disputed: z.boolean({ error: 'expected true or false' }),
    evidence: z.strictObject({
      max_text_chars: z.number().int().min(100).max(100_000),
      max_attachments: z.number().int().min(0).max(20),
      max_attachment_bytes: z
        .number()
        .int()
        .min(1024)
        .max(20 * 1024 * 1024),
      media_types: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, { error: 'expected a media type' })),
    }),
  }),
  repairs: z.strictObject({
    feedback_working_days: days(60),
    decision_working_days: days(60),
    display_stop_working_days: days(60),
    classes: z.strictObject({ minor: classSchema, general: classSchema, serious: classSchema }),
    irreparable: z.array(z.string()).default([]),
  }),
  retention: z.strictObject({
    negative_years: z
      .number({ error: 'expected a whole number of years' })
      .int({ error: 'expected a whole number of years' })
      .min(1, { error: 'expected 1 to 30 years' })
      .max(30, { error: 'expected 1 to 30 years' }),
  }),
});

export interface RepairClass {
  minimumMonths: number;
  maximumDisplayMonths: number;
}

export interface DueProcessPolicy {
  version: string;
  label: string;
  objections: {
    /** Calendar days from the filing to the decision (Credit Reporting Regulations Art. 25). */
    reviewDays: number;
    /** A shorter (or longer) review for records of types that trigger these lists. */
    reviewDaysByList: Record<string, number>;
    sourceNoticeWorkingDays: number;
    appealWindowDays: number;
    appealDecisionDays: number;
    /**
     * Whether a binding (legal representative, principal responsible person, actual controller)
     * keeps binding while the bound person's objection to it is pending: linkage and checks.
     */
    bindingsWhileDisputed: boolean;
    evidence: {
      maxTextChars: number;
      maxAttachments: number;
      maxAttachmentBytes: number;
      mediaTypes: string[];
    };
  };
  repairs: {
    feedbackWorkingDays: number;
    decisionWorkingDays: number;
    displayStopWorkingDays: number;
    classes: Record<Severity, RepairClass>;
    irreparable: ReadonlySet<string>;
  };
  retention: {
    /** Years a one-off negative act stays in the file after its day (Regulations Art. 16). */
    negativeYears: number;
  };
}

/** Parses and checks the policy against the catalogue (every type named exists, every list is known). */
export const parseDueProcessPolicy = (
  text: string,
  catalogue: Catalogue,
  origin = DEFAULT_DUE_PROCESS_PATH,
  knownLists?: ReadonlySet<string>,
): DueProcessPolicy => {
  const parsed = parsePolicyYaml(text, origin, 'due-process policy', schema, (d, report) => {
    d.repairs.irreparable.forEach((code, i) => {
      if (!catalogue.get(code)) report(['repairs', 'irreparable', i], `"${code}" is not in the catalogue`);
    });
    if (knownLists)
      for (const list of Object.keys(d.objections.review_days_by_list))
        if (!knownLists.has(list))
          report(['objections', 'review_days_by_list', list], `"${list}" is not a list in the list policy`);
    for (const sev of SEVERITIES) {
      const c = d.repairs.classes[sev];
      if (c.minimum_months > c.maximum_display_months)
        report(['repairs', 'classes', sev], 'minimum_months exceeds maximum_display_months');
    }
  });
  const d = parsed.data;
  const cls = (c: z.output<typeof classSchema>): RepairClass => ({
    minimumMonths: c.minimum_months,
    maximumDisplayMonths: c.maximum_display_months,
  });
  return {
    version: parsed.version,
    label: d.label,
    objections: {
      reviewDays: d.objections.review_days,
      reviewDaysByList: d.objections.review_days_by_list,
      sourceNoticeWorkingDays: d.objections.source_notice_working_days,
      appealWindowDays: d.objections.appeal_window_days,
      appealDecisionDays: d.objections.appeal_decision_days,
      bindingsWhileDisputed: d.objections.bindings_while_disputed,
      evidence: {
        maxTextChars: d.objections.evidence.max_text_chars,
        maxAttachments: d.objections.evidence.max_attachments,
        maxAttachmentBytes: d.objections.evidence.max_attachment_bytes,
        mediaTypes: d.objections.evidence.media_types,
      },
    },
    repairs: {
      feedbackWorkingDays: d.repairs.feedback_working_days,
      decisionWorkingDays: d.repairs.decision_working_days,
      displayStopWorkingDays: d.repairs.display_stop_working_days,
      classes: {
        minor: cls(d.repairs.classes.minor),
        general: cls(d.repairs.classes.general),
        serious: cls(d.repairs.classes.serious),
      },
      irreparable: new Set(d.repairs.irreparable),
    },
    retention: { negativeYears: d.retention.negative_years },
  };
};

export const loadDueProcessPolicy = async (
  catalogue: Catalogue,
  path = DEFAULT_DUE_PROCESS_PATH,
  knownLists?: ReadonlySet<string>,
): Promise<{ policy: DueProcessPolicy; text: string }> => {
  const text = await readFile(path, 'utf8');
  return { policy: parseDueProcessPolicy(text, catalogue, path, knownLists), text };
};

/**
 * The calendar days an objection to a record of this type is decided within: the shortest term of
 * the lists its type triggers (a court listing: 15, SPC 2017 Art. 12), else the default.
 */
export const reviewDaysFor = (
  type: string,
  catalogue: Catalogue,
  policy: Pick<DueProcessPolicy['objections'], 'reviewDays' | 'reviewDaysByList'>,
): number => {
  const terms = (catalogue.get(type)?.list_triggers ?? [])
    .map((l) => policy.reviewDaysByList[l])
    .filter((d): d is number => d !== undefined);
  return terms.length > 0 ? Math.min(...terms) : policy.reviewDays;
};
