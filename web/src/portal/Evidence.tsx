/**
 * Evidence for an objection or a repair application: a text and up to five files (PDF, JPEG, PNG
 * or plain text, 2 MB each — the limits of policies/due-process.yaml, which the API enforces
 * again), sent base64 as the API takes them.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EvidenceInput } from './queries';
import { NS, useFormat } from './words';

export const MAX_FILES = 5;
export const MAX_BYTES = 2 * 1024 * 1024;
export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'text/plain'];

export interface EvidenceState {
  text: string;
  files: File[];
}

export const emptyEvidence: EvidenceState = { text: '', files: [] };

const base64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

export const evidenceBody = async (e: EvidenceState): Promise<EvidenceInput | null> => {
  const text = e.text.trim();
  if (!text && e.files.length === 0) return null;
  const attachments = await Promise.all(
    e.files.map(async (f) => ({ name: f.name, media_type: f.type, content_base64: await base64(f) })),
  );
  return { text: text || null, ...(attachments.length > 0 ? { attachments } : {}) };
};

export const EvidenceFields = ({
  value,
  onChange,
  required = false,
}: {
  value: EvidenceState;
  onChange: (v: EvidenceState) => void;
  required?: boolean;
}) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const pick = (list: FileList | null) => {
    const files = [...(list ?? [])];
    const wrong = files.find((x) => !MEDIA_TYPES.includes(x.type));
    const big = files.find((x) => x.size > MAX_BYTES);
    if (files.length > MAX_FILES) setProblem(t('evidence.too_many', { count: MAX_FILES }));
    else if (wrong) setProblem(t('evidence.wrong_type', { name: wrong.name }));
    else if (big) setProblem(t('evidence.too_big', { name: big.name }));
    else {
      setProblem(undefined);
      onChange({ ...value, files });
      return;
    }
    onChange({ ...value, files: [] });
  };
  return (
    <fieldset className="evidence stack">
      <legend>{required ? t('evidence.legend_required') : t('evidence.legend')}</legend>
      <label htmlFor={`${id}-text`}>{t('evidence.text')}</label>
      <textarea
        id={`${id}-text`}
        rows={3}
        maxLength={10_000}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.target.value })}
      />
      <label htmlFor={`${id}-files`}>{t('evidence.files')}</label>
      <input
        id={`${id}-files`}
        type="file"
        multiple
        accept={MEDIA_TYPES.join(',')}
        aria-describedby={`${id}-hint`}
        onChange={(e) => pick(e.target.files)}
      />
      <p id={`${id}-hint`} className="muted small">
        {t('evidence.hint', { count: MAX_FILES, size: f.number(2) })}
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
};
