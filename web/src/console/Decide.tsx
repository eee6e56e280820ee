/**
 * A decision on a queue item: a disclosure button opens a form with the outcomes as radio buttons,
 * written reasons and a submit button, each with a label naming the item, so the whole flow works
 * by keyboard and by role/label selectors. After the API accepts it the console's queries refresh.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../ui';
import { useCanDecide } from './parts';

export interface Outcome {
  value: string;
  label: string;
  hint?: string;
}

export const Decide = ({
  opener,
  legend,
  outcomes,
  reasonsLabel,
  submitLabel,
  extra,
  onSubmit,
  onDone,
  testId,
}: {
  /** The disclosure button's text, naming the item (e.g. "Decide objection #12"). */
  opener: string;
  legend: string;
  outcomes: Outcome[];
  reasonsLabel: string;
  submitLabel: string;
  /** More fields for an outcome (a correction's fields), shown under the outcomes. */
  extra?: (outcome: string) => ReactNode;
  /** Sends the decision; `form` holds the extra fields' values by name. */
  onSubmit: (v: { outcome: string; reasons: string; form: FormData }) => Promise<unknown>;
  /** Told once the API accepted the decision (the item may leave the queue at once). */
  onDone?: (outcome: string) => void;
  testId?: string;
}) => {
  const { t } = useTranslation('console');
  const canDecide = useCanDecide();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [reasons, setReasons] = useState('');
  const id = useId();
  const send = useMutation({
    mutationFn: (v: { outcome: string; reasons: string; form: FormData }) => onSubmit(v),
    onSuccess: async (_, v) => {
      setOpen(false);
      onDone?.(v.outcome);
      await queries.invalidateQueries({ queryKey: ['console'] });
    },
  });
  // An auditor reads only: no decision controls at all.
  if (!canDecide) return null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!outcome || !reasons.trim()) return;
    send.mutate({ outcome, reasons: reasons.trim(), form: new FormData(e.currentTarget) });
  };

  return (
    <div className="decide" data-testid={testId}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-form`}
        onClick={() => {
          setOpen((o) => !o);
          send.reset();
        }}
      >
        {opener}
      </button>
      {send.isSuccess && (
        <p role="status" className="done">
          {t('decide.recorded')}
        </p>
      )}
      {open && (
        <form id={`${id}-form`} className="stack decide-form" onSubmit={submit} aria-label={opener}>
          <fieldset>
            <legend>{legend}</legend>
            {outcomes.map((o) => (
              <div key={o.value} className="choice">
                <input
                  type="radio"
                  id={`${id}-${o.value}`}
                  name="outcome"
                  value={o.value}
                  checked={outcome === o.value}
                  onChange={() => setOutcome(o.value)}
                  required
                  aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined}
                />
                <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
                {o.hint && (
                  <span id={`${id}-${o.value}-hint`} className="muted hint">
                    {o.hint}
                  </span>
                )}
              </div>
            ))}
          </fieldset>
          {extra?.(outcome)}
          <label htmlFor={`${id}-reasons`}>{reasonsLabel}</label>
          <textarea
            id={`${id}-reasons`}
            name="reasons"
            rows={3}
            required
            value={reasons}
            onChange={(e) => setReasons(e.target.value)}
          />
          <div className="row">
            <button type="submit" disabled={send.isPending || !outcome || !reasons.trim()}>
              {submitLabel}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              {t('decide.cancel')}
            </button>
          </div>
          {send.error && <ErrorNote error={send.error} />}
        </form>
      )}
    </div>
  );
};
