/**
 * A repair application's proof of performance: evidence as the due-process policy limits it (the
 * same limits as an objection's, `checkEvidence`), and required: text, files, or both — but something.
 */
import { checkEvidence, type EvidenceInput, type EvidenceLimits } from '../due-process/index.ts';
import { invalidInput } from '../shared/errors.ts';

export const checkProof = (evidence: EvidenceInput | null | undefined, limits: EvidenceLimits) => {
  if (!evidence?.text?.trim() && (evidence?.attachments ?? []).length === 0)
    throw invalidInput('proof of performance is required: give evidence.text, evidence.attachments or both', [
      { field: 'evidence', message: 'empty' },
    ]);
  return checkEvidence(evidence, limits);
};
