import { readFile } from 'node:fs/promises';
import { dataSchemas, type EventData, type EventType } from '@caleida/verify';
import { UsageError } from '../usage-error.js';
import { lineOfKey, parseJsonText } from './parse-json-text.js';

/**
 * Reads the `data` of an event from a JSON file (or `-` for stdin) and checks it against the type's
 * schema. The file may hold the `data` object or a whole `{type, timestamp, data}` envelope. Errors
 * name the file and the line.
 *
 * @example
 * const data = await readDataFile('message.json', 'message');
 */
export async function readDataFile<T extends EventType>(
  path: string,
  type: T,
  readStdin: () => Promise<string> = readAllStdin,
): Promise<EventData<T>> {
  const name = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UsageError(
      'unreadable_file',
      `Cannot read --data ${name} (${why ?? 'unreadable'}); check the path.`,
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.failure;
    throw new UsageError(
      'invalid_file',
      `--data ${name} line ${line}, column ${column}: invalid JSON (${message}); fix it or start again from \`caleida-sim fixtures ${type}\`.`,
    );
  }
  let value = parsed.value;
  if (isEnvelope(value) && value.type === type) value = value.data;
  const result = dataSchemas[type].safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const line = lineOfKey(text, path.at(-1) as string | number | undefined);
    throw new UsageError(
      'invalid_file',
      `--data ${name}${line ? ` line ${line}` : ''}: ${path.length ? `"${path.join('.')}" ` : ''}${issue?.message ?? 'is invalid'} for a ${type} event; compare with \`caleida-sim fixtures ${type}\`.`,
    );
  }
  // The file's own value, not zod's output, so extra keys are sent as written.
  return value as EventData<T>;
}

function isEnvelope(value: unknown): value is { type: unknown; data: unknown } {
  return typeof value === 'object' && value !== null && 'type' in value && 'data' in value;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
