/**
 * Who looked at my file and why: the access log's entries (newest first, paged) and relying
 * parties' checks (one line per party and day). Each entry in the audit log's Merkle tree can be
 * verified here: the browser fetches the signed head, the published key, the entry's bytes and its
 * inclusion proof, and checks them itself (verify.ts) — the server's word is not taken for it.
 * Each check of a line can be explained and its answer recomputed (CheckExplanation.tsx).
 */
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import i18n from '../i18n';
import { ErrorNote, Loading } from '../ui';
import { CheckExplanations } from './CheckExplanation';
import { type AccessEntry, type CheckGroup, type OwnFile, useAccessPage } from './queries';
import { UNSUPPORTED, type Verification, verifyInclusion } from './verify';
import { NS, useFormat, useWords } from './words';

type Outcome = { state: 'pending'; treeSize: number } | { state: 'checked'; v: Verification };

/** Fetches what the check needs and runs it; a leaf newer than the latest signed head is "pending". */
const verifyLeaf = async (index: number): Promise<Outcome> => {
  // WebCrypto exists only in secure contexts (HTTPS, or a loopback address).
  if (!globalThis.crypto?.subtle) throw new Error(i18n.t('verify.insecure', { ns: NS }));
  const [head, key] = await Promise.all([
    unwrap(api.GET('/v1/audit/head')),
    unwrap(api.GET('/v1/audit/key')),
  ]);
  if (index >= head.tree_size) return { state: 'pending', treeSize: head.tree_size };
  const [proof, entries] = await Promise.all([
    unwrap(api.GET('/v1/audit/proof/inclusion', { params: { query: { index, tree_size: head.tree_size } } })),
    unwrap(api.GET('/v1/audit/entries', { params: { query: { start: index, end: index + 1 } } })),
  ]);
  const entry = entries.entries[0];
  if (entry === undefined) throw new Error(`no entry at leaf ${index}`);
  return {
    state: 'checked',
    v: await verifyInclusion({ leafIndex: index, entryBase64: entry, proof, head, key }),
  };
};

const short = (hex: string | null) => (hex ? `${hex.slice(0, 16)}…` : '—');

const VerifyResult = ({ outcome }: { outcome: Outcome }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  if (outcome.state === 'pending')
    return <p className="verify pending">{t('verify.pending', { size: f.number(outcome.treeSize) })}</p>;
  const { v } = outcome;
  return (
    <div className={`verify ${v.ok ? 'ok' : 'failed'}`} data-testid="verify-result">
      <p className="verify-verdict">
        <strong>{v.ok ? t('verify.verified') : t('verify.failed')}</strong>{' '}
        {t('verify.numbers', {
          leaf: f.number(v.leafIndex),
          size: f.number(v.treeSize),
          time: f.time(v.timestamp),
        })}
      </p>
      {v.steps.some((s) => s.detail === UNSUPPORTED) && <p>{t('verify.unsupported')}</p>}
      <ul className="verify-steps">
        {v.steps.map((s) => (
          <li key={s.name} className={s.ok ? 'ok' : 'failed'}>
            <span aria-hidden="true">{s.ok ? '✓' : '✗'}</span>{' '}
            <span className="visually-hidden">{s.ok ? t('verify.step_ok') : t('verify.step_failed')}: </span>
            {t(`verify.steps.${s.name}`, {
              leaf: short(v.leafHash),
              root: short(v.computedRoot),
              head: short(v.headRoot),
              hashes: s.name === 'audit_path' ? s.detail : '',
              key: short(s.name === 'signature' ? s.detail : null),
              name: s.name === 'checkpoint' ? s.detail : '',
            })}
          </li>
        ))}
      </ul>
    </div>
  );
};

/** The check of one leaf: a button with the verdict in a live region, and the details apart. */
const useVerify = () => useMutation({ mutationFn: verifyLeaf });
type VerifyRun = ReturnType<typeof useVerify>;

const VerifyButton = ({ index, label, run }: { index: number | null; label: string; run: VerifyRun }) => {
  const { t } = useTranslation(NS);
  if (index === null) return <span className="muted">{t('verify.not_in_tree')}</span>;
  const d = run.data;
  return (
    <span className="verify-cell">
      <button
        type="button"
        className="secondary small"
        onClick={() => run.mutate(index)}
        disabled={run.isPending}
        aria-label={t('verify.button_label', { what: label })}
      >
        {run.isPending ? t('verify.checking') : t('verify.button')}
      </button>{' '}
      <span role="status" className="verdict">
        {d?.state === 'checked' && (
          <strong className={d.v.ok ? 'ok' : 'failed'}>
            {d.v.ok ? t('verify.verified') : t('verify.failed')}
          </strong>
        )}
        {d?.state === 'pending' && t('verify.pending_short')}
      </span>
    </span>
  );
};

/** The details of a check under the row it belongs to, across the table. */
const VerifyRow = ({ run, span }: { run: VerifyRun; span: number }) => {
  if (!run.data && !run.error) return null;
  return (
    <tr className="verify-row">
      <td colSpan={span}>
        {run.data && <VerifyResult outcome={run.data} />}
        {run.error && <ErrorNote error={run.error} />}
      </td>
    </tr>
  );
};

const AccessRow = ({ e }: { e: AccessEntry }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const run = useVerify();
  return (
    <>
      <tr data-testid="access-entry">
        <td data-label={t('access.when')}>{f.time(e.at)}</td>
        <td data-label={t('access.who')}>
          {w.who(e)}
          {(e.who_kind === 'source' || e.who_kind === 'relying_party' || e.who_kind === 'other') && (
            <span className="muted"> ({w.role(e.role)})</span>
          )}
        </td>
        <td data-label={t('access.what')}>{w.action(e.action, e.what)}</td>
        <td data-label={t('access.purpose')}>
          {w.purposeKnown(e.purpose) ? w.purpose(e.purpose) : <q>{e.purpose}</q>}
        </td>
        <td data-label={t('access.proof')}>
          {e.leaf_index !== null && (
            <span className="muted leaf">{t('access.leaf', { leaf: f.number(e.leaf_index) })}</span>
          )}
          <VerifyButton index={e.leaf_index} label={`${f.time(e.at)} ${w.who(e)}`} run={run} />
        </td>
      </tr>
      <VerifyRow run={run} span={5} />
    </>
  );
};

/**
 * Long runs of alike entries are folded to keep the others in view: the citizen's own reads (each
 * page it opens is one or more), and any party doing the same thing for the same purpose again and
 * again (a rating received per rater, say). Each run unfolds on request.
 */
const RUN = 3;
type Segment = { run: false; e: AccessEntry } | { run: true; own: boolean; entries: AccessEntry[] };

const runKey = (e: AccessEntry) =>
  e.who_kind === 'you' && e.action.endsWith('.read')
    ? 'you'
    : `${e.who_kind}|${e.who}|${e.action}|${e.purpose}`;

const segments = (entries: AccessEntry[]): Segment[] => {
  const out: Segment[] = [];
  let run: AccessEntry[] = [];
  const flush = () => {
    if (run.length >= RUN) out.push({ run: true, own: runKey(run[0]!) === 'you', entries: run });
    else for (const e of run) out.push({ run: false, e });
    run = [];
  };
  for (const e of entries) {
    if (run.length > 0 && runKey(run[0]!) !== runKey(e)) flush();
    run.push(e);
  }
  flush();
  return out;
};

const Run = ({ entries, own }: { entries: AccessEntry[]; own: boolean }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const [open, setOpen] = useState(false);
  const newest = entries[0]!;
  const oldest = entries[entries.length - 1]!;
  const span = { count: entries.length, from: f.time(oldest.at), to: f.time(newest.at) };
  return (
    <>
      <tr className="run">
        <td colSpan={5}>
          <span>
            {own
              ? t('access.own_run', span)
              : t('access.run', { ...span, who: w.who(newest), what: w.action(newest.action, newest.what) })}
          </span>{' '}
          <button
            type="button"
            className="secondary small"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? t('access.hide') : t('access.show')}
          </button>
        </td>
      </tr>
      {open && entries.map((e) => <AccessRow key={e.seq} e={e} />)}
    </>
  );
};

const Accesses = ({ entries }: { entries: AccessEntry[] }) => {
  const { t } = useTranslation(NS);
  return (
    <table className="stack-on-phone access-table" aria-labelledby="access-h">
      <thead>
        <tr>
          <th scope="col">{t('access.when')}</th>
          <th scope="col">{t('access.who')}</th>
          <th scope="col">{t('access.what')}</th>
          <th scope="col">{t('access.purpose')}</th>
          <th scope="col">{t('access.proof')}</th>
        </tr>
      </thead>
      <tbody>
        {segments(entries).map((g) =>
          g.run ? (
            <Run key={`run-${g.entries[0]!.seq}`} entries={g.entries} own={g.own} />
          ) : (
            <AccessRow key={g.e.seq} e={g.e} />
          ),
        )}
      </tbody>
    </table>
  );
};

/**
 * A line of checks (a party, a day) with its checks explained on request in a row under it: a
 * disclosure listing the line's check IDs, each one expandable (CheckExplanation.tsx).
 */
const CheckRow = ({ g }: { g: CheckGroup }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const run = useVerify();
  const [explain, setExplain] = useState(false);
  const region = useId();
  const latest = g.leaf_indices.find((l) => l !== null) ?? null;
  return (
    <>
      <tr data-testid="check-group">
        <td data-label={t('checks.day')}>{f.day(g.day)}</td>
        <td data-label={t('checks.who')}>{g.who}</td>
        <td data-label={t('checks.count')}>
          {t('checks.counts', { count: g.count, applied: f.number(g.applied), n: f.number(g.count) })}{' '}
          <button
            type="button"
            className="secondary small explain-toggle"
            aria-expanded={explain}
            aria-controls={explain ? region : undefined}
            onClick={() => setExplain(!explain)}
          >
            {explain ? t('explain.close') : t('explain.open')}
            <span className="visually-hidden">
              {' '}
              {t('explain.open_context', { who: g.who, day: f.day(g.day) })}
            </span>
          </button>
        </td>
        <td data-label={t('checks.measures')}>{g.measures.map((m) => w.measure(m)).join(t('comma'))}</td>
        <td data-label={t('access.purpose')}>{g.purposes.map((p) => w.purpose(p)).join(t('comma'))}</td>
        <td data-label={t('access.proof')}>
          <VerifyButton index={latest} label={`${f.day(g.day)} ${g.who}`} run={run} />
        </td>
      </tr>
      <VerifyRow run={run} span={6} />
      {explain && (
        <tr className="explain-row" id={region}>
          <td colSpan={6}>
            <CheckExplanations group={g} />
          </td>
        </tr>
      )}
    </>
  );
};

const Checks = ({ groups }: { groups: CheckGroup[] }) => {
  const { t } = useTranslation(NS);
  return (
    <table className="stack-on-phone" aria-labelledby="checks-h">
      <thead>
        <tr>
          <th scope="col">{t('checks.day')}</th>
          <th scope="col">{t('checks.who')}</th>
          <th scope="col">{t('checks.count')}</th>
          <th scope="col">{t('checks.measures')}</th>
          <th scope="col">{t('access.purpose')}</th>
          <th scope="col">{t('access.proof')}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <CheckRow key={`${g.day}-${g.relying_party}`} g={g} />
        ))}
      </tbody>
    </table>
  );
};

/** An older page of the log, fetched by its cursor, with the button for the page after it. */
const OlderPage = ({ cursor, kind }: { cursor: string; kind: 'access' | 'checks' }) => {
  const { t } = useTranslation(NS);
  const page = useAccessPage(kind === 'access' ? cursor : undefined, kind === 'checks' ? cursor : undefined);
  const [more, setMore] = useState(false);
  if (page.isPending) return <Loading />;
  if (page.error) return <ErrorNote error={page.error} />;
  const log = page.data.access_log;
  const next = kind === 'access' ? log.accesses.next_page : log.checks.next_page;
  return (
    <>
      {kind === 'access' ? (
        <Accesses entries={log.accesses.entries} />
      ) : (
        <Checks groups={log.checks.groups} />
      )}
      {next &&
        (more ? (
          <OlderPage cursor={next} kind={kind} />
        ) : (
          <button type="button" className="secondary" onClick={() => setMore(true)}>
            {t('access.older')}
          </button>
        ))}
    </>
  );
};

const More = ({ cursor, kind }: { cursor: string | null; kind: 'access' | 'checks' }) => {
  const { t } = useTranslation(NS);
  const [open, setOpen] = useState(false);
  if (!cursor) return null;
  if (open) return <OlderPage cursor={cursor} kind={kind} />;
  return (
    <button type="button" className="secondary" onClick={() => setOpen(true)}>
      {t('access.older')}
    </button>
  );
};

export const AccessLog = ({ file }: { file: OwnFile }) => {
  const { t } = useTranslation(NS);
  const { accesses, checks } = file.access_log;
  return (
    <section aria-labelledby="access-h" className="access-log">
      <h2 id="access-h">{t('access.title')}</h2>
      <p className="muted">{t('access.intro')}</p>
      {accesses.entries.length === 0 ? (
        <p className="muted">{t('access.none')}</p>
      ) : (
        <div className="table-wrap">
          <Accesses entries={accesses.entries} />
        </div>
      )}
      <More cursor={accesses.next_page} kind="access" />

      <h3 id="checks-h">{t('checks.title')}</h3>
      {checks.groups.length === 0 ? (
        <p className="muted">{t('checks.none')}</p>
      ) : (
        <div className="table-wrap">
          <Checks groups={checks.groups} />
        </div>
      )}
      <More cursor={checks.next_page} kind="checks" />
    </section>
  );
};
