import type { Command } from 'commander';
import { deliverOutbox, getOutboxStatus, OUTBOX_DEFAULTS, requeueOutbox } from '../../outbox/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { CredenceError, invalidInput } from '../../shared/errors.ts';
import { EXIT } from '../errors.ts';
import { intOption, parseWholeNumber, withPlatform } from '../run.ts';

export const register = (program: Command) => {
  const outbox = program
    .command('outbox')
    .description('the notifications waiting to be sent to subjects through the messaging gateway');
  outbox
    .command('status')
    .description(
      'how many notifications are queued, sent, failed and waiting to retry, given up (dead), or superseded (never to be sent: before they went out, the listing they announced was removed, its end changed, or the notice was queued again with its present text)',
    )
    .option('--json', 'print JSON: queued, sent, failed, dead, superseded, problems')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const c = await getOutboxStatus({ ctx: p.ctx(cliOperator(p.config), 'outbox status') });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(c)}\n`);
          return EXIT.ok;
        }
        const lines = [
          `queued ${c.queued}, sent ${c.sent}, failed and waiting to retry ${c.failed}, dead ${c.dead}, superseded ${c.superseded}`,
        ];
        for (const x of c.problems) {
          const state = x.deadAt ? `dead since ${x.deadAt}` : `next attempt ${x.nextAttemptAt}`;
          lines.push(
            `  #${x.id} (notification ${x.notificationId}) ${x.attempts} attempts, ${state}: ${x.lastError}`,
          );
        }
        if (!p.config.notify) lines.push('NOTIFY_WEBHOOK_URL is not set: nothing is being delivered');
        process.stdout.write(`${lines.join('\n')}\n`);
        return EXIT.ok;
      }),
    );
  outbox
    .command('deliver')
    .description(
      'one delivery pass: POST every due notification to NOTIFY_WEBHOOK_URL (signed with NOTIFY_WEBHOOK_SECRET ' +
        'when set); exit 0 when all were sent, 1 when some failed, 6 when no gateway is configured',
    )
    .option(
      '--limit <n>',
      `at most this many notifications (default ${OUTBOX_DEFAULTS.limit})`,
      intOption('limit', 1, 10_000),
    )
    .option('--json', 'print JSON: sent, failed, dead, remaining')
    .action(
      withPlatform(async (p, opts: { limit?: number; json?: boolean }) => {
        const notify = p.config.notify;
        if (!notify) {
          throw new CredenceError(
            'unavailable',
            'NOTIFY_WEBHOOK_URL is not set: set it to the messaging gateway’s URL (and NOTIFY_WEBHOOK_SECRET to sign deliveries)',
          );
        }
        const r = await deliverOutbox({
          ctx: p.ctx(cliOperator(p.config), 'deliver notifications to subjects'),
          input: opts.limit === undefined ? {} : { limit: opts.limit },
          deps: { webhookUrl: notify.webhookUrl, secret: notify.secret },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          process.stdout.write(
            `sent ${r.sent}, failed ${r.failed} (will retry), dead ${r.dead}; ${r.remaining} still to deliver\n`,
          );
        return r.failed + r.dead > 0 ? EXIT.partial : EXIT.ok;
      }),
    );
  outbox
    .command('requeue')
    .description(
      'put notifications given up as dead back in the queue with a fresh round of attempts, once what made them fail is mended',
    )
    .argument('[ids...]', 'outbox row ids (the # numbers `outbox status` lists)')
    .option('--all-dead', 'every dead notification')
    .option('--json', 'print JSON: requeued (the ids)')
    .action(
      withPlatform(async (p, raw: string[], opts: { allDead?: boolean; json?: boolean }) => {
        if (opts.allDead === raw.length > 0)
          throw invalidInput('name the outbox rows to requeue by id, or give --all-dead (not both)');
        const ids = opts.allDead
          ? ('all' as const)
          : raw.map((x) => {
              const id = parseWholeNumber(x.replace(/^#/, ''));
              if (id === undefined || id < 1)
                throw invalidInput(
                  `an outbox row id is a whole number from 1 (the # numbers \`credence outbox status\` lists), got "${x}"`,
                );
              return id;
            });
        const r = await requeueOutbox({
          ctx: p.ctx(cliOperator(p.config), 'requeue dead notifications'),
          input: { ids },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          process.stdout.write(
            r.requeued.length === 0
              ? 'nothing requeued: no such dead notification\n'
              : `requeued ${r.requeued.length}: ${r.requeued.map((id) => `#${id}`).join(' ')}\n`,
          );
        return EXIT.ok;
      }),
    );
};
