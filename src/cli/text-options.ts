/**
 * The text rules at the command line's way in, as at the HTTP one (src/api/text-guard.ts): every
 * option value and argument a command receives is NFC-normalised, and one holding a NUL, another
 * control character, a bidirectional override or isolate or an unpaired surrogate is refused,
 * naming the option. Written reasons, notes and complaints may span lines; nothing else may. A
 * stated `--purpose` is held to the purpose rules (src/access/purpose.ts), as `x-purpose` is: it is
 * kept in the audit log for good and shown to the subject.
 */
import type { Command } from 'commander';
import { statedPurposeText } from '../access/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { nfc, textProblem } from '../shared/text.ts';

/** Options (commander's camel-cased names) whose text may span lines. */
const MULTILINE = new Set(['reasons', 'reason', 'note', 'complaint']);

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Checks and normalises the action command's options and arguments in place; throws the first refusal. */
export const checkCommandText = (command: Command): void => {
  for (const [key, value] of Object.entries(command.opts())) {
    const field = flag(key);
    if (key === 'purpose' && typeof value === 'string') {
      const text = statedPurposeText(value, field);
      if (text === '')
        throw invalidInput(`${field} must not be empty: say why`, [{ field, message: 'empty' }]);
      command.setOptionValue(key, text);
      continue;
    }
    const one = (s: string) => {
      const text = nfc(s);
      const problem = textProblem(text, MULTILINE.has(key));
      if (problem) throw invalidInput(`invalid ${field}: ${problem}`, [{ field, message: problem }]);
      return text;
    };
    if (typeof value === 'string') command.setOptionValue(key, one(value));
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      command.setOptionValue(key, value.map(one));
  }
  command.args.forEach((a, i) => {
    const problem = textProblem(nfc(a));
    if (problem)
      throw invalidInput(`invalid argument ${i + 1} (${JSON.stringify(a.slice(0, 60))}): ${problem}`, [
        { field: `argument ${i + 1}`, message: problem },
      ]);
  });
};
