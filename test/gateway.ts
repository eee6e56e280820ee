/**
 * A messaging gateway on 127.0.0.1 for the outbox tests: records each POST it receives, answers
 * with `status` (after `delayMs`, or never while `hang`), and notes how many POSTs were in flight
 * at once, in all and of one subject.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookBody } from '../src/outbox/index.ts';

export interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: WebhookBody;
}

export const startGateway = async () => {
  const g = {
    received: [] as Received[],
    status: 200,
    /** Hold answers back (to test timeouts). */
    hang: false,
    /** Wait this long before answering. */
    delayMs: 0,
    /** POSTs in flight by subject. */
    inFlight: new Map<string, number>(),
    /** The most POSTs in flight at once. */
    most: 0,
    /** The most POSTs of one subject in flight at once. */
    mostOfOneSubject: 0,
    server: undefined as unknown as Server,
    url: '',
    close: async () => {
      g.server.closeAllConnections();
      await new Promise((ok) => g.server.close(ok));
    },
  };
  g.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as WebhookBody;
      g.received.push({ headers: req.headers, raw, body });
      if (g.hang) return;
      const mine = (g.inFlight.get(body.subject) ?? 0) + 1;
      g.inFlight.set(body.subject, mine);
      g.mostOfOneSubject = Math.max(g.mostOfOneSubject, mine);
      g.most = Math.max(
        g.most,
        [...g.inFlight.values()].reduce((a, b) => a + b, 0),
      );
      setTimeout(() => {
        g.inFlight.set(body.subject, g.inFlight.get(body.subject)! - 1);
        res.writeHead(g.status, { 'content-type': 'text/plain' });
        res.end(g.status < 300 ? 'ok' : 'gateway trouble');
      }, g.delayMs);
    });
  });
  await new Promise<void>((ok) => g.server.listen(0, '127.0.0.1', ok));
  g.url = `http://127.0.0.1:${(g.server.address() as AddressInfo).port}/notify`;
  return g;
};
