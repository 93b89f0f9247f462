/** Deepest nesting of objects and arrays accepted in a request body (the body itself is level 1). */
export const MAX_JSON_DEPTH = 32;

const MAX_KEY_SHOWN = 40;

/**
 * The path (`data.metadata.a[0].b`) of the first object or array in `value` that sits deeper than
 * `maxDepth` levels, or null when none does. Recursion stops at `maxDepth + 1` levels, so a hostile
 * document cannot exhaust the stack here (nor, once refused, in `JSON.stringify` later).
 *
 * @example
 * findDeepNesting({ a: { b: {} } }, 2); // 'a.b'
 */
export function findDeepNesting(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const path = deeper(value, 1, maxDepth);
  return path === null ? null : path.reverse().join('').replace(/^\./, '');
}

function deeper(value: unknown, depth: number, maxDepth: number): string[] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > maxDepth) return [];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const path = deeper(value[index], depth + 1, maxDepth);
      if (path) return [...path, `[${index}]`];
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const path = deeper((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (path) return [...path, `.${key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN)}…` : key}`];
  }
  return null;
}
