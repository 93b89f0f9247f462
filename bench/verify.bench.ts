/**
 * `pnpm bench verify`: @caleida/verify against the floor node's crypto sets, and against the
 * standardwebhooks and svix libraries, on the same signed bodies of 1 KiB and 16 KiB.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { constructEvent, decodeSecret, verify } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { measureOps } from './lib/measure-ops.js';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TARGETS = { 'verify + parse': 0.85, constructEvent: 0.8 } as const;
const key = decodeSecret(SECRET);
const standardWebhook = new StandardWebhook(SECRET);
const svixWebhook = new SvixWebhook(SECRET);

function messageOfSize(bytes: number): string {
  const event = buildEvent('message', { seed: 1 });
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  const filler = 'The customer asked about the refund for the duplicate March charge. ';
  const content = filler.repeat(Math.ceil(bytes / filler.length)).slice(0, bytes - base);
  return JSON.stringify({ ...event, data: { ...event.data, content } });
}

let failed = false;
const rows: (string | number)[][] = [['candidate', 'size', 'ops/s', 'ratio to floor', 'target']];
for (const size of [1024, 16 * 1024]) {
  const body = messageOfSize(size);
  const request = signedRequest({ secret: SECRET, event: body });
  const bytes = Buffer.from(request.body);
  const { headers } = request;
  const signature = headers['webhook-signature'];

  const results = measureOps([
    {
      name: 'floor',
      run: () => {
        const expected = createHmac('sha256', key)
          .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`)
          .update(bytes)
          .digest();
        if (!timingSafeEqual(expected, Buffer.from(signature.slice(3), 'base64')))
          throw new Error('mismatch');
        return JSON.parse(bytes.toString('utf8'));
      },
    },
    {
      name: 'verify + parse',
      run: () => {
        verify({ secret: SECRET, payload: bytes, headers });
        return JSON.parse(bytes.toString('utf8'));
      },
    },
    { name: 'constructEvent', run: () => constructEvent({ secret: SECRET, payload: bytes, headers }) },
    { name: 'standardwebhooks', run: () => standardWebhook.verify(bytes, headers) },
    { name: 'svix', run: () => svixWebhook.verify(bytes, headers) },
  ]);
  const floor = results.get('floor') ?? 1;
  for (const [name, ops] of results) {
    const ratio = ops / floor;
    const target = TARGETS[name as keyof typeof TARGETS];
    if (target !== undefined && ratio < target) failed = true;
    rows.push([
      name,
      `${size / 1024} KiB`,
      Math.round(ops).toLocaleString('en-US'),
      `${ratio.toFixed(2)}x`,
      target === undefined ? '' : `>= ${target}x ${ratio >= target ? 'met' : 'MISSED'}`,
    ]);
  }
}
printTable(rows);
console.log(
  `\nTargets ${failed ? 'MISSED' : 'met'} (verify + parse >= 0.85x the floor, constructEvent >= 0.8x).`,
);
