import type { CommandModule } from 'yargs';
import { DeliveryError } from '../http/delivery-error.js';
import { sendWebhook } from '../http/send-webhook.js';
import { type GlobalArgs, resolveGlobals } from '../options/global-options.js';
import { parseSince } from '../options/parse-since.js';
import { parseUrl } from '../options/parse-url.js';
import { UsageError } from '../usage-error.js';

interface RecoverArgs extends GlobalArgs {
  webhook: string;
  since: string;
  server: string;
  apiKey?: string;
}

/** The environment variable read when `--api-key` is not given. */
const API_KEY_ENV = 'CALEIDA_API_KEY';

/** What the mock server answers to `POST /v1/webhooks/{id}/recover`. */
interface RecoverAnswer {
  resent?: number;
  delivery_ids?: string[];
  code?: string;
  message?: string;
}

/**
 * `caleida-sim recover`: asks a running mock server to re-send, in bulk, the failed deliveries of one
 * webhook since a time (`POST /v1/webhooks/{id}/recover {since}`).
 */
export const recoverCommand: CommandModule<GlobalArgs, RecoverArgs> = {
  command: 'recover',
  describe: "Ask a running Caleida mock server to re-send a webhook's failed deliveries since a time",
  builder: (yargs) =>
    yargs
      .option('webhook', {
        type: 'string',
        demandOption: true,
        requiresArg: true,
        describe: 'The webhook id, e.g. wh_...',
      })
      .option('since', {
        type: 'string',
        demandOption: true,
        requiresArg: true,
        describe: 'From when: an ISO time (2026-11-28T09:00:00Z) or a duration back from now (30m, 2h, 7d)',
      })
      .option('server', {
        type: 'string',
        alias: 'mock-url',
        demandOption: true,
        requiresArg: true,
        describe: 'The mock server, e.g. http://127.0.0.1:4000',
      })
      .option('api-key', {
        type: 'string',
        describe: `Its API key (default: $${API_KEY_ENV}); never printed`,
      })
      .example(
        '$0 recover --webhook wh_123 --since 2h --server http://127.0.0.1:4000 --api-key $KEY',
        're-send what failed in the last two hours',
      ) as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const webhook = String(argv.webhook).trim();
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(webhook)) {
      throw new UsageError(
        'invalid_option',
        `--webhook "${webhook}" is not a webhook id; ids are letters, digits, "_" and "-", e.g. wh_4f9K2.`,
      );
    }
    const since = parseSince(argv.since, '--since');
    const server = parseUrl(argv.server, '--server');
    const apiKey = argv.apiKey || process.env[API_KEY_ENV];
    if (!apiKey) {
      throw new UsageError(
        'invalid_option',
        `No API key: pass --api-key or set ${API_KEY_ENV} (the mock server prints it at start).`,
      );
    }
    const url = new URL(`/v1/webhooks/${encodeURIComponent(webhook)}/recover`, server);
    let answer: Awaited<ReturnType<typeof sendWebhook>>;
    try {
      answer = await sendWebhook({
        url,
        body: JSON.stringify({ since: since.toISOString() }),
        headers: { ...headers, 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        timeoutMs,
      });
    } catch (error) {
      if (error instanceof DeliveryError && error.code === 'unreachable')
        throw new UsageError('unreachable_host', error.message);
      throw error;
    }
    let parsed: RecoverAnswer = {};
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      // Explained below from the status and the raw body.
    }
    const { green, red } = reporter.colors;
    const ok = answer.status >= 200 && answer.status < 300;
    const resent = parsed.resent ?? parsed.delivery_ids?.length ?? 0;
    reporter.summary(
      { status: answer.status, webhook, since: since.toISOString(), ...parsed },
      ok
        ? `${green('✓')} ${answer.status} re-sent ${resent} deliver${resent === 1 ? 'y' : 'ies'} of ${webhook} that failed since ${since.toISOString()}${parsed.delivery_ids?.length ? `: ${parsed.delivery_ids.join(', ')}` : ''}`
        : `${red('✗')} ${answer.status} ${explainFailure(answer.status, parsed, answer.body, webhook)}`,
    );
    process.exitCode = ok ? 0 : 1;
  },
};

function explainFailure(status: number, parsed: RecoverAnswer, body: string, webhook: string): string {
  if (status === 404 && (parsed.code !== 'not_found' || /^No route\b/.test(parsed.message ?? ''))) {
    // The mock server's catch-all 404, not a missing webhook: the endpoint itself is not there.
    return 'This mock server has no bulk-recovery endpoint (POST /v1/webhooks/{id}/recover); update @caleida/mock-server to a version that has it.';
  }
  if (status === 404) {
    const message = parsed.message ?? `No webhook with id ${webhook}.`;
    return /GET \/v1\/webhooks/.test(message)
      ? message
      : `${message} List the webhooks with GET /v1/webhooks and pass one of their ids to --webhook.`;
  }
  if (status === 401) return `${parsed.message ?? 'Unauthorized.'} Check --api-key (or $${API_KEY_ENV}).`;
  return parsed.message ?? body.slice(0, 300);
}
