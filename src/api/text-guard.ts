/**
 * The text rules (src/shared/text.ts) at the HTTP way in: before a request's schema is checked,
 * every string of its JSON body, query string and path parameters is NFC-normalised in place, and
 * one holding a NUL, another control character, a bidirectional override or isolate or an
 * unpaired surrogate is refused with 400 naming its path (`body.statement`,
 * `body.checks.3.subject`, `querystring.q`). Free text in a body may span lines (tab, LF, CR);
 * query strings and path parameters may not.
 *
 * A route whose items are checked one by one (a record batch: a bad line must not lose the good
 * ones) sets `config: { textPerItem: true }`: its body is left to the record contract.
 *
 * Cost: a request without a body and with an empty query string looks at two empty objects.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { invalidInput } from '../shared/errors.ts';
import { normaliseTextIn, type TextIssue } from '../shared/text.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks the text of its body item by item itself (src/ingest/record-line.ts). */
    textPerItem?: boolean;
  }
}

const anyLines = () => true;
const oneLine = () => false;

/** Normalises the strings of a query string or path parameters; the first one refused. */
const checkFlat = (o: unknown, where: string): TextIssue | undefined => {
  if (o === null || typeof o !== 'object') return undefined;
  for (const _ in o) return normaliseTextIn(o, oneLine, where).issue;
  return undefined;
};

const refusal = (issue: TextIssue) =>
  invalidInput(`invalid ${issue.field}: ${issue.reason}`, [{ field: issue.field, message: issue.reason }]);

/** Fastify `preValidation` hook (registered once, in app.ts). */
export function textGuard(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  let issue = checkFlat(request.query, 'querystring') ?? checkFlat(request.params, 'params');
  const body = request.body;
  if (!issue && body !== undefined && body !== null && !request.routeOptions.config.textPerItem) {
    const r = normaliseTextIn(body, anyLines, 'body');
    if (typeof body === 'string') request.body = r.value;
    issue = r.issue;
  }
  done(issue ? refusal(issue) : undefined);
}
