import { EVENT_TYPES, type EventType } from '@caleida/verify';
import { parseEventType } from '../options/parse-event-type.js';
import { UsageError } from '../usage-error.js';

/** Relative weight of each event type in a load run. */
export type EventMix = ReadonlyArray<readonly [EventType, number]>;

/** Roughly what a busy workspace sends: mostly messages, a chat per ten, then its insights. */
export const DEFAULT_MIX: EventMix = [
  ['message', 70],
  ['chat', 10],
  ...EVENT_TYPES.filter((type) => type.startsWith('insight.')).map((type) => [type, 4] as const),
];

/**
 * Reads `--mix message=70,chat=10,insight.summary=5` (weights, not necessarily summing to 100).
 *
 * @example
 * parseMix('message=3,chat=1'); // [['message', 3], ['chat', 1]]
 */
export function parseMix(value: string | undefined): EventMix {
  if (value === undefined || value.trim() === '') return DEFAULT_MIX;
  return value.split(',').map((part) => {
    const [name = '', weight = ''] = part.split('=');
    const type = parseEventType(name.trim());
    const parsed = Number(weight);
    if (!(Number.isFinite(parsed) && parsed > 0)) {
      throw new UsageError('invalid_option', `--mix "${part}" needs a positive weight, e.g. ${type}=10.`);
    }
    return [type, parsed] as const;
  });
}
