/**
 * A resident ID number as the court list of judgment defaulters publishes it (the public lists), and
 * as an organization's own file shows the persons bound to it. REFERENCE.md gives no
 * masking rule; the Supreme People's Court's public query service shows the number with the birth
 * month and day (characters 11–14 of GB 11643-1999's 18) replaced by asterisks, e.g.
 * 1101051949****002X: enough to tell two persons of one name apart, not enough to rebuild a birth
 * date.
 */
export const maskResidentId = (id: string): string =>
  id.length === 18 ? `${id.slice(0, 10)}****${id.slice(14)}` : '*'.repeat(id.length);
