/**
 * `pnpm bench verify`: @caleida/verify against the floor node's crypto sets, and against the
 * standardwebhooks and svix libraries, on the same signed bodies of 1 KiB and 16 KiB, each given as
 * bytes (a Buffer, as a raw-body parser gives it) and as a string (as `await request.text()` gives
 * it); then the Web Crypto path (verifyAsync, constructEventAsync) against a bare awaited
 * crypto.subtle HMAC on the same bytes, one request at a time.
 *
 * Floors: for bytes, HMAC over the bytes + compare + decode + JSON.parse; for a string, HMAC over
 * the string + compare + JSON.parse; the HMAC and compare done the cheapest way Node offers
 * (lib/hmac-floor.ts). Every ratio is taken within a round, then the median over rounds.
 */
import { timingSafeEqual } from 'node:crypto';
import { constructEvent, constructEventAsync, decodeSecret, verify, verifyAsync } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { hmacFloorMatches } from './lib/hmac-floor.js';
import { measureOpsByRound, mediansOf, type OpsByRound } from './lib/measure-ops.js';
import { measureOpsAwaitedByRound } from './lib/measure-ops-awaited.js';
import { medianRatio } from './lib/measure-time-per-op.js';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** Node path, against the node:crypto floor of the same input kind, at every size. */
const TARGETS: Record<string, number> = { 'verify + parse': 0.9, constructEvent: 0.85 };
/** Web Crypto path, against a bare awaited crypto.subtle HMAC of the same input kind, at every size. */
const WEB_TARGETS: Record<string, number> = { 'verifyAsync + parse': 0.8 };
const SIZES = [1024, 16 * 1024];
const KINDS = ['bytes', 'string'] as const;
const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 7;

const key = decodeSecret(SECRET);
const standardWebhook = new StandardWebhook(SECRET);
const svixWebhook = new SvixWebhook(SECRET);
const utf8 = new TextEncoder();
const subtleKey = await crypto.subtle.importKey(
  'raw',
  new Uint8Array(key),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['sign'],
);

function messageOfSize(bytes: number): string {
  const event = buildEvent('message', { seed: 1 });
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  const filler = 'The customer asked about the refund for the duplicate March charge. ';
  const content = filler.repeat(Math.ceil(bytes / filler.length)).slice(0, bytes - base);
  return JSON.stringify({ ...event, data: { ...event.data, content } });
}

const missed: string[] = [];
const heading = ['candidate', 'size', 'input', 'ops/s', 'ratio to floor', 'target'];
const rows: (string | number)[][] = [heading];
const webRows: (string | number)[][] = [heading];

function report(
  table: (string | number)[][],
  samples: OpsByRound,
  baseline: string,
  targets: Record<string, number>,
  size: number,
  kind: string,
): void {
  for (const [name, ops] of mediansOf(samples)) {
    const ratio = medianRatio(samples, name, baseline);
    const target = targets[name];
    const met = target === undefined || ratio >= target;
    if (!met) missed.push(`${name} at ${size / 1024} KiB as ${kind}: ${ratio.toFixed(2)}x < ${target}x`);
    table.push([
      name,
      `${size / 1024} KiB`,
      kind,
      Math.round(ops).toLocaleString('en-US'),
      `${ratio.toFixed(2)}x`,
      target === undefined ? '' : `>= ${target}x ${met ? 'met' : 'MISSED'}`,
    ]);
  }
}

for (const size of SIZES) {
  const body = messageOfSize(size);
  const request = signedRequest({ secret: SECRET, event: body });
  const bytes = Buffer.from(request.body);
  const { headers } = request;
  const signature = headers['webhook-signature'];
  // The exact bytes crypto.subtle signs, prepared once: the bare call the Web Crypto path is held to.
  const signedBytes = utf8.encode(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`);

  for (const kind of KINDS) {
    const payload = kind === 'bytes' ? bytes : body;
    const decode = kind === 'bytes' ? () => bytes.toString('utf8') : () => body;
    const floor = () => {
      if (
        !hmacFloorMatches(
          key,
          `${headers['webhook-id']}.${headers['webhook-timestamp']}.`,
          payload,
          signature,
        )
      )
        throw new Error('mismatch');
      return JSON.parse(decode());
    };
    const samples = measureOpsByRound(
      [
        { name: 'floor', run: floor },
        {
          name: 'verify + parse',
          run: () => {
            verify({ secret: SECRET, payload, headers });
            return JSON.parse(decode());
          },
        },
        { name: 'constructEvent', run: () => constructEvent({ secret: SECRET, payload, headers }) },
        { name: 'standardwebhooks', run: () => standardWebhook.verify(payload, headers) },
        { name: 'svix', run: () => svixWebhook.verify(payload, headers) },
      ],
      { rounds },
    );
    report(rows, samples, 'floor', TARGETS, size, kind);

    const webSamples = await measureOpsAwaitedByRound(
      [
        {
          name: 'crypto.subtle floor',
          run: async () => {
            const expected = new Uint8Array(await crypto.subtle.sign('HMAC', subtleKey, signedBytes));
            if (!timingSafeEqual(expected, Buffer.from(signature.slice(3), 'base64')))
              throw new Error('mismatch');
            return JSON.parse(decode());
          },
        },
        {
          name: 'verifyAsync + parse',
          run: async () => {
            await verifyAsync({ secret: SECRET, payload, headers });
            return JSON.parse(decode());
          },
        },
        {
          name: 'constructEventAsync',
          run: () => constructEventAsync({ secret: SECRET, payload, headers }),
        },
        { name: 'node floor (sync)', run: floor },
      ],
      { rounds },
    );
    report(webRows, webSamples, 'crypto.subtle floor', WEB_TARGETS, size, kind);
  }
}
printTable(rows);
console.log(
  '\nWeb Crypto path (crypto.subtle on Node), each request awaited before the next; floor: one awaited crypto.subtle.sign on the prepared signed bytes + compare + parse:\n',
);
printTable(webRows);
const targetList = [
  ...Object.entries(TARGETS).map(([name, ratio]) => `${name} >= ${ratio}x the node:crypto floor`),
  ...Object.entries(WEB_TARGETS).map(([name, ratio]) => `${name} >= ${ratio}x the crypto.subtle floor`),
].join(', ');
console.log(
  missed.length === 0
    ? `\nTargets met (${targetList}; at 1 KiB and 16 KiB, as bytes and as a string).`
    : `\nTargets MISSED: ${missed.join('; ')}. (Targets: ${targetList}.)`,
);
