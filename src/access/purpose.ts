/**
 * A purpose a reader states (`x-purpose`, `--purpose`): kept in the audit log for good and shown to
 * the subject whose file it names (product rule 9), so it is held to the text rules of one line,
 * kept short, and never names a protected category (product rule 2). One rule for both ways in.
 */
import { protectedWordIn } from '../catalogue/index.ts';
import { invalidInput, protectedCategory } from '../shared/errors.ts';
import { nfc, textProblem } from '../shared/text.ts';

export const PURPOSE_MAX = 200;

/**
 * The purpose as it is kept (NFC, trimmed; empty when none was stated), or a refusal naming
 * `field` (the header or the option it came in).
 */
export const statedPurposeText = (raw: string, field: string): string => {
  const text = nfc(raw).trim();
  const problem = textProblem(text);
  if (problem) throw invalidInput(`invalid ${field}: ${problem}`, [{ field, message: problem }]);
  if (text.length > PURPOSE_MAX)
    throw invalidInput(`${field} must be at most ${PURPOSE_MAX} characters`, [
      { field, message: `${text.length} characters` },
    ]);
  const found = protectedWordIn(text);
  if (found)
    throw protectedCategory(
      `${field} names a protected category (${found.category}: "${found.word}"), which product rule 2 keeps out of the audit log: state the purpose without it`,
      [{ field, message: `protected category ${found.category}: "${found.word}"` }],
    );
  return text;
};
