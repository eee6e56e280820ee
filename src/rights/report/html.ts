/**
 * The printable report of a subject's own file: one complete HTML page with its own stylesheet (no
 * external asset), A4, each section on a new page when printed, in the subject's language. It shows
 * exactly the own file (`OwnFileJson`); every piece of data is escaped.
 */
import type { Advice } from '../advice.ts';
import type { OwnFileJson, OwnRecordJson } from '../own-file.ts';
import { MESSAGES, type MessageKey, type ReportLanguage } from './lang.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Segoe UI", sans-serif;
    font-size: 11pt; line-height: 1.45; color: #111; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 18pt; margin: 0 0 .3rem; }
  h2 { font-size: 14pt; border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2rem; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
  th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: #555; font-size: 9.5pt; }
  ul.advice { margin: .2rem 0 .6rem 1.2rem; padding: 0; }
  code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: 9.5pt; }
  @page { size: A4; margin: 18mm 15mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
    section { break-before: page; page-break-before: always; }
    section.first { break-before: auto; page-break-before: auto; }
    tr, li { break-inside: avoid; page-break-inside: avoid; }
    thead { display: table-header-group; }
    h2 { break-after: avoid; page-break-after: avoid; }
  }
`;

export interface ReportOptions {
  lang: ReportLanguage;
  /** The catalogue's amount kind of a record type (money in yuan is shown as currency). */
  amountKind?: (type: string) => string | undefined;
}

export const renderReport = (f: OwnFileJson, opts: ReportOptions): string => {
  const m = MESSAGES[opts.lang];
  const t = (key: MessageKey | string, params: Record<string, string | number> = {}): string =>
    (m[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  /** Translated text with escaped parameters. */
  const th = (key: MessageKey | string, params: Record<string, unknown> = {}) =>
    escapeHtml(m[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  const dayFmt = new Intl.DateTimeFormat(opts.lang, { dateStyle: 'long', timeZone: 'UTC' });
  const instantFmt = new Intl.DateTimeFormat(opts.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const numFmt = new Intl.NumberFormat(opts.lang);
  const money = new Intl.NumberFormat(opts.lang, { style: 'currency', currency: 'CNY' });
  const day = (d: string | null | undefined) =>
    d ? escapeHtml(dayFmt.format(new Date(`${d.slice(0, 10)}T00:00:00Z`))) : '';
  const instant = (d: string) => escapeHtml(instantFmt.format(new Date(d)));
  const num = (n: number) => escapeHtml(numFmt.format(n));
  const amount = (type: string, a: number | null) =>
    a === null
      ? ''
      : escapeHtml(opts.amountKind?.(type) === 'money_yuan' ? money.format(a) : numFmt.format(a));
  const typeLabel = (name: string, code: string) => `${escapeHtml(name)} <code>${escapeHtml(code)}</code>`;
  const period = (from: string | null, until: string | null) =>
    th('period', { from: day(from), until: until ? day(until) : th('open_ended') });
  const table = (head: string[], rows: string[][]) =>
    rows.length === 0
      ? `<p>${th('none')}</p>`
      : `<table><thead><tr>${head.map((h) => `<th>${th(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.join('')}</tr>`)
          .join('')}</tbody></table>`;
  const td = (html: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${html}</td>`;

  const advice = (a: Advice): string => {
    switch (a.kind) {
      case 'perform':
        return a.case_reference
          ? th('advice.perform_case', { case: escapeHtml(a.case_reference) })
          : th('advice.perform');
      case 'pay':
        return a.amount
          ? th('advice.pay_amount', { amount: escapeHtml(money.format(a.amount)) })
          : th('advice.pay');
      case 'repair_from':
        return th('advice.repair_from', { day: day(a.day) });
      case 'repair_now':
        return th('advice.repair_now');
      case 'irreparable':
        return th('advice.irreparable');
      case 'object':
        return th('advice.object', { days: num(a.days) });
      case 'wait':
        return th('advice.wait', { day: day(a.day) });
      case 'keep':
        return th('advice.keep', { day: day(a.day) });
      case 'linked':
        return th('advice.linked', { organization: escapeHtml(a.organization) });
    }
  };

  const repairCell = (r: OwnRecordJson) =>
    r.repair === null
      ? ''
      : r.repair.eligible_from === null
        ? th('repair.never')
        : r.repair.eligible_from <= f.as_of
          ? th('repair.now')
          : th('repair.from', { day: day(r.repair.eligible_from) });
  const historyCell = (r: OwnRecordJson) =>
    r.history
      .map(
        (v) =>
          `<div>${th('history.entry', {
            version: num(v.version),
            status: th(`status.${v.status}`),
            change: th(`change.${v.change}`),
            day: day(v.replaced_at),
          })}${v.reason ? `; ${th('history.reason', { reason: escapeHtml(v.reason) })}` : ''}</div>`,
      )
      .join('');

  const s = f.score;
  const sections: string[] = [];
  sections.push(`<section class="first">
    <h1>${th('title')}</h1>
    <p class="muted">${th('generated', { day: day(f.as_of) })}</p>
    <h2>${th('section.subject')}</h2>
    <table><tbody>
      <tr><th>${th('field.name')}</th><td>${escapeHtml(f.subject.name)}</td></tr>
      <tr><th>${th('field.kind')}</th><td>${th(`kind.${f.subject.kind}`)}</td></tr>
      <tr><th>${th('field.identifier')}</th><td>${escapeHtml(f.subject.identifier)}</td></tr>
      ${f.subject.birth_date ? `<tr><th>${th('field.birth_date')}</th><td>${day(f.subject.birth_date)}</td></tr>` : ''}
      ${
        f.bindings.length
          ? `<tr><th>${th('field.bindings')}</th><td>${f.bindings
              .map(
                (b) =>
                  `<div>${th(`binding.${b.role}`)}: ${escapeHtml(b.name)} (${escapeHtml(b.identifier)}), ${
                    b.from === null ? th('since_before') : period(b.from, b.until)
                  }</div>`,
              )
              .join('')}</td></tr>`
          : ''
      }
      ${
        f.licences.length
          ? `<tr><th>${th('field.licences')}</th><td>${f.licences
              .map((l) => `<div>${escapeHtml(l.kind)} ${escapeHtml(l.number)}</div>`)
              .join('')}</td></tr>`
          : ''
      }
    </tbody></table>
    <h2>${th('section.score')}</h2>
    <table><tbody>
      <tr><th>${th('field.score')}</th><td class="num">${num(s.score)}</td></tr>
      <tr><th>${th('field.grade')}</th><td>${escapeHtml(s.grade)}</td></tr>
      <tr><th>${th('field.as_of')}</th><td>${day(s.as_of)}</td></tr>
      <tr><th>${th('field.policy_version')}</th><td><code>${escapeHtml(s.policy_version.slice(0, 12))}</code></td></tr>
    </tbody></table>
    ${table(
      ['field.domain', 'field.points'],
      Object.entries(s.domains).map(([d, p]) => [td(th(`domain.${d}`)), td(num(p), 'num')]),
    )}
    <h2>${th('section.factors')}</h2>
    ${
      s.key_factors.length === 0
        ? `<p>${th('none')}</p>`
        : s.key_factors
            .map(
              (k) =>
                // A factor of no points acts on the grade: say how, not "0 points".
                `<h3>${th(
                  k.points === 0 && k.grade
                    ? k.grade.binds
                      ? 'factor.sets_grade'
                      : 'factor.caps_grade'
                    : 'factor',
                  {
                    type: typeLabel(k.type_name, k.type),
                    date: day(k.date),
                    points: num(k.points),
                    grade: escapeHtml(k.grade?.letter),
                  },
                )}</h3><ul class="advice">${k.advice.map((a) => `<li>${advice(a)}</li>`).join('')}</ul>`,
            )
            .join('')
    }
    <p class="muted">${th('note.rights')}</p>
  </section>`);

  sections.push(`<section>
    <h2>${th('section.records')}</h2>
    ${table(
      [
        'field.type',
        'field.source',
        'field.case',
        'field.date',
        'field.amount',
        'field.status',
        'field.counts_until',
        'field.repair',
        'field.note',
      ],
      f.records.map((r) => [
        td(typeLabel(r.type_name, r.type)),
        td(escapeHtml(r.source.name)),
        td(escapeHtml(r.case_reference)),
        td(day(r.occurred_at)),
        td(amount(r.type, r.amount), 'num'),
        td(th(`status.${r.status}`) + historyCell(r)),
        td(r.counts_until ? day(r.counts_until) : th('not_counting')),
        td(repairCell(r)),
        td(escapeHtml(r.note)),
      ]),
    )}
    <p class="muted">${th('note.type_names')}</p>
  </section>`);

  sections.push(`<section>
    <h2>${th('section.lists')}</h2>
    ${table(
      ['field.list', 'field.status', 'field.period', 'field.case', 'field.legal_basis'],
      f.lists.map((l) => [
        td(`${escapeHtml(l.name)} <code>${escapeHtml(l.list)}</code>`),
        td(l.in_force ? th('in_force') : th(`status.${l.status}`)),
        td(period(l.from, l.until)),
        td(escapeHtml(l.case_reference)),
        td(escapeHtml(l.legal_basis)),
      ]),
    )}
    <h2>${th('section.measures')}</h2>
    ${table(
      ['field.measure', 'field.reason', 'field.period', 'field.legal_basis'],
      f.measures.map((x) => [
        td(`${th(`measure.${x.kind}`)}: ${escapeHtml(x.name)} <code>${escapeHtml(x.measure)}</code>`),
        td(
          `<code>${escapeHtml(x.reason_code)}</code>${x.case_reference ? ` ${escapeHtml(x.case_reference)}` : ''}`,
        ),
        td(x.grade ? th('period.grade', { grade: escapeHtml(x.grade) }) : period(x.from, x.until)),
        td(escapeHtml(x.legal_basis)),
      ]),
    )}
  </section>`);

  const items = (xs: unknown[]) =>
    xs.length === 0
      ? `<p>${th('none')}</p>`
      : xs
          .map(
            (x) =>
              `<table><tbody>${Object.entries((x ?? {}) as Record<string, unknown>)
                .map(
                  ([k, v]) =>
                    `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`,
                )
                .join('')}</tbody></table>`,
          )
          .join('');
  if (f.objections !== undefined || f.repairs !== undefined)
    sections.push(`<section>
      ${f.objections !== undefined ? `<h2>${th('section.objections')}</h2>${items(f.objections)}` : ''}
      ${f.repairs !== undefined ? `<h2>${th('section.repairs')}</h2>${items(f.repairs)}` : ''}
    </section>`);

  const who = (kind: string, name: string) =>
    kind === 'source' || kind === 'relying_party' || kind === 'other' ? escapeHtml(name) : th(`who.${kind}`);
  /** A leaf index in the audit log's Merkle tree; — until the entry is in the tree. */
  const leaf = (i: number | null) => (i === null ? '—' : escapeHtml(String(i)));
  const a = f.access_log;
  sections.push(`<section>
    <h2>${th('section.access')}</h2>
    ${table(
      ['field.when', 'field.who', 'field.role', 'field.what', 'field.purpose', 'field.entry', 'field.leaf'],
      a.accesses.entries.map((e) => [
        td(instant(e.at)),
        td(who(e.who_kind, e.who)),
        td(th(`role.${e.role}`)),
        td(m[`action.${e.action}`] !== undefined ? th(`action.${e.action}`) : escapeHtml(e.what)),
        td(escapeHtml(e.purpose)),
        td(escapeHtml(String(e.seq)), 'num'),
        td(leaf(e.leaf_index), 'num'),
      ]),
    )}
    ${a.accesses.next_page ? `<p class="muted">${th('more_accesses', { cursor: escapeHtml(a.accesses.next_page) })}</p>` : ''}
    <h2>${th('section.checks')}</h2>
    ${table(
      [
        'field.day',
        'field.who',
        'field.count',
        'field.applied',
        'field.measures',
        'field.purpose',
        'field.entry',
        'field.leaf',
      ],
      a.checks.groups.map((g) => [
        td(day(g.day)),
        td(escapeHtml(g.who)),
        td(num(g.count) + (g.continued ? ` <span class="muted">(${th('continued')})</span>` : ''), 'num'),
        td(num(g.applied), 'num'),
        td(g.measures.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ')),
        td(escapeHtml(g.purposes.join(', '))),
        td(escapeHtml(g.seqs.join(', '))),
        td(g.leaf_indices.map(leaf).join(', ')),
      ]),
    )}
    ${a.checks.next_page ? `<p class="muted">${th('more_checks', { cursor: escapeHtml(a.checks.next_page) })}</p>` : ''}
    <p class="muted">${th('note.seq')}</p>
  </section>`);

  return `<!DOCTYPE html>
<html lang="${escapeHtml(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('title_for', { name: f.subject.name }))}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
};
