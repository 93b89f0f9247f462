/**
 * Signs an event the way Caleida does, then verifies it the way your endpoint will:
 * `pnpm example`.
 */
import { constructEvent, generateSecret, WebhookVerificationError } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';

const secret = generateSecret();
const { body, headers } = signedRequest({ secret, event: buildEvent('insight.sentiment', { seed: 7 }) });
console.log('Caleida sends:\n', headers, '\n', body, '\n');

const event = constructEvent({ secret, payload: body, headers });
if (event.type === 'insight.sentiment') {
  console.log(
    `Verified ${event.id}: chat ${event.data.chat_id} is ${event.data.sentiment} (score ${event.data.score}).`,
  );
}

try {
  constructEvent({ secret, payload: body.replace('"score":', '"score": '), headers });
} catch (error) {
  if (error instanceof WebhookVerificationError) console.log(`A changed body is refused: ${error.code}.`);
}
