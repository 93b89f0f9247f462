const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * The offset of the first JSON syntax error in `text` (its length when it ends too early, -1 when
 * it is valid), for messages that must point at a line: V8's own messages do not always give one.
 */
export function findJsonError(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(String(at));
  };
  const skipSpace = (): void => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) fail();
    at++;
  };
  const literal = (word: string): void => {
    for (const char of word) expect(char);
  };
  const string = (): void => {
    expect('"');
    while (at < text.length && text[at] !== '"') {
      const char = text[at] as string;
      if (char < ' ') fail();
      at += char === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const number = (): void => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) fail();
    at += match?.[0].length ?? 0;
  };
  const member = (): void => {
    string();
    skipSpace();
    expect(':');
    value();
  };
  const container = (close: string, item: () => void): void => {
    at++;
    skipSpace();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      skipSpace();
      item();
      skipSpace();
      if (text[at] === close) {
        at++;
        return;
      }
      expect(',');
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') container('}', member);
    else if (char === '[') container(']', value);
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value();
    skipSpace();
    return at < text.length ? at : -1;
  } catch {
    return Math.min(at, text.length);
  }
}
