import { readFile } from 'node:fs/promises';
import { EVENT_TYPES, eventSchemas, isEventType } from '@caleida/verify';
import { UsageError } from '../usage-error.js';
import { parseJsonText } from './parse-json-text.js';

/** One line of a recording: the envelope, and the event id when it was recorded. */
export interface RecordedEvent {
  /** 1-based line number in the file. */
  line: number;
  id?: string;
  type: string;
  timestamp: string;
  data: unknown;
}

/**
 * Reads a JSON-lines recording (what `listen --record` writes: `{id?, type, timestamp, data}` per
 * line). Every line is checked before anything is sent; the first bad one is named by its number.
 *
 * @example
 * const events = await readEventLines('events.jsonl');
 */
export async function readEventLines(path: string): Promise<RecordedEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      'unreadable_file',
      `Cannot read ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}); check the path.`,
    );
  }
  const events: RecordedEvent[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    const invalid = (why: string) =>
      new UsageError(
        'invalid_file',
        `${path} line ${line}: ${why}; each line must be {"id"?, "type", "timestamp", "data"}.`,
      );
    const parsed = parseJsonText(raw);
    if (!parsed.ok)
      throw invalid(`invalid JSON at column ${parsed.failure.column} (${parsed.failure.message})`);
    const value = parsed.value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw invalid('not a JSON object');
    if (!isEventType(value.type)) {
      throw invalid(`unknown event type ${JSON.stringify(value.type)} (valid: ${EVENT_TYPES.join(', ')})`);
    }
    if (value.id !== undefined && (typeof value.id !== 'string' || value.id === '')) {
      throw invalid('"id" must be a non-empty string when present');
    }
    const { id, ...envelope } = value;
    const result = eventSchemas[value.type].safeParse(envelope);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalid(`"${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is invalid'}`);
    }
    events.push({
      line,
      ...(typeof id === 'string' ? { id } : {}),
      type: value.type,
      // The line's own values, not zod's output, so unknown keys are replayed too.
      timestamp: value.timestamp as string,
      data: value.data,
    });
  }
  if (events.length === 0)
    throw new UsageError(
      'invalid_file',
      `${path} has no events; record some with \`caleida-sim listen --record ${path}\`.`,
    );
  return events;
}
