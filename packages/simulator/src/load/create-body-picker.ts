import { buildConversation } from '@caleida/verify/testing';
import type { LoadBody, LoadSigner } from './load-signer.js';
import type { EventMix } from './parse-mix.js';

/** Conversations whose events make the pool of bodies a load run draws from. */
const CONVERSATIONS = 16;

/**
 * Prepares the bodies of a load run once (the events of 16 realistic conversations) and returns a
 * function that draws one at random, its event type chosen by the mix's weights.
 *
 * @example
 * const pickBody = createBodyPicker([['message', 3], ['chat', 1]], new LoadSigner(secret));
 * const body = pickBody(); // a message three times in four
 */
export function createBodyPicker(mix: EventMix, signer: LoadSigner): () => LoadBody {
  const pool = new Map<string, LoadBody[]>();
  for (let seed = 1; seed <= CONVERSATIONS; seed++) {
    for (const event of buildConversation({ seed })) {
      const list = pool.get(event.type) ?? [];
      list.push(signer.prepare(JSON.stringify(event)));
      pool.set(event.type, list);
    }
  }
  // Types without a body in the pool are left out, so every draw finds one.
  const entries = mix.filter(([type, weight]) => weight > 0 && (pool.get(type)?.length ?? 0) > 0);
  if (entries.length === 0)
    throw new RangeError('The load mix needs at least one event type with a weight above 0.');
  const bodies = entries.map(([type]) => pool.get(type) as LoadBody[]);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    total += weight;
    cumulative.push(total);
  }
  const last = entries.length - 1;
  return function pickBody(): LoadBody {
    const roll = Math.random() * total;
    let index = 0;
    while (index < last && roll >= (cumulative[index] as number)) index++;
    const list = bodies[index] as LoadBody[];
    return list[Math.floor(Math.random() * list.length)] as LoadBody;
  };
}
