/**
 * In-process test harness: a real store on a backend (a fresh SQLite file by default, or a fresh
 * PostgreSQL database, see test/platforms.ts), the app, and an operator token.
 */
import type { FastifyInstance } from 'fastify';
import { type TestBackend, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import { fixedClock } from '../context.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';

export const TODAY = '2026-03-01';

export interface TestApp {
  app: FastifyInstance;
  platform: Platform;
  operator: string;
  close(): Promise<void>;
}

export const startTestApp = async (opts: { backend?: TestBackend } = {}): Promise<TestApp> => {
  const backend = opts.backend ?? testBackends()[0]!;
  const { platform, cleanup } = await backend.open({ clock: fixedClock(`${TODAY}T09:00:00Z`) });
  const app = await buildApp(platform, { logger: false });
  const { token } = await issueToken({
    ctx: platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
    input: { role: 'operator', label: 'test' },
  });
  return {
    app,
    platform,
    operator: token,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
};

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  ...extra,
});

/** Registers a source through the API and returns its credential. */
export const registerSource = async (t: TestApp, code: string, kind: string): Promise<string> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/sources',
    headers: bearer(t.operator),
    payload: { code, kind },
  });
  if (res.statusCode !== 201) throw new Error(`registering ${code}: ${res.body}`);
  return res.json().credential;
};

export const personRecord = (id: string, over: Record<string, unknown> = {}) => ({
  source_record_id: `case-${id}`,
  type: 'court.judgment_defaulter',
  subject: { kind: 'person', id_number: id, name: 'Zhang San' },
  occurred_at: '2025-05-01',
  decided_at: '2025-06-01',
  amount: 50_000,
  evidence: `(2025)京0105执${id.slice(-4)}号`,
  ...over,
});

/** Issues a token for this role (and the subject or source it stands for) through the API. */
export const tokenFor = async (t: TestApp, role: string, ref?: string): Promise<string> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: bearer(t.operator),
    payload: { role, label: `${role} ${ref ?? ''}`, ...(ref ? { ref } : {}) },
  });
  return res.json().token as string;
};

/** A request with this token, and a JSON body when one is given. */
export const callAs = (t: TestApp, method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: bearer(who),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

/**
 * A caller of an app on any backend: a bearer token (none: the anonymous public) with a stated
 * purpose, and the answer's status, parsed body and text.
 */
export const callerOf =
  (app: () => FastifyInstance) =>
  async (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: unknown) => {
    const res = await app().inject({
      method,
      url,
      headers: token ? bearer(token, { 'x-purpose': 'test' }) : {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: res.statusCode, body: res.json(), text: res.body };
  };

/**
 * A licensed doctor rated through a hospital's tokens, for the ratings tests: imports the doctor
 * and the patients (persons), registers the source `hospital` with the doctor on its roster, and
 * issues an operator's, the hospital's and each patient's (rater) token.
 */
export const setUpRatedDoctor = async (
  p: Platform,
  call: ReturnType<typeof callerOf>,
  doctor: { id: string; licence: string; name: string },
  patients: readonly string[],
): Promise<Record<string, string>> => {
  const ctx = p.ctx({ id: 'operator:test', role: 'operator' }, 'test');
  const lines = [
    {
      kind: 'person',
      id_number: doctor.id,
      name: doctor.name,
      licences: [{ kind: 'doctor', number: doctor.licence }],
    },
    ...patients.map((id, k) => ({ kind: 'person', id_number: id, name: `病人${k}` })),
  ];
  const imported = await importSubjects({
    ctx,
    input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
  });
  if (imported.rejected !== 0) throw new Error(`${imported.rejected} subjects refused`);
  const tokens: Record<string, string> = {};
  tokens.admin = (await issueToken({ ctx, input: { role: 'operator', label: 'admin' } })).token;
  const source = await call('POST', '/v1/sources', tokens.admin, { code: 'hospital', kind: 'hospital' });
  if (source.status !== 201) throw new Error(source.text);
  tokens.hospital = source.body.credential;
  // The hospital vouches for the doctor on its roster (issue 16).
  const staff = await call('POST', '/v1/sources/hospital/staff', tokens.admin, {
    licence: doctor.licence,
    from: '2025-01-01',
  });
  if (staff.status !== 201) throw new Error(staff.text);
  for (const r of patients)
    tokens[r] = (await issueToken({ ctx, input: { role: 'rater', label: r, ref: r } })).token;
  return tokens;
};
