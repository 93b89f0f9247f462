import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ReceiverRequest, verify, verifyAsync } from '../src/index.js';
import { createReceiver, createReceiverWith } from '../src/receiver/create-receiver.js';
import { nowSeconds, OTHER_SECRET, SECRET, validRequest } from './helpers.js';

interface Sent {
  method?: string;
  body: string;
  headers: Record<string, string>;
}

/** A request as a fetch handler hands it over: the body as a web stream. */
const post = ({ method = 'POST', body, headers }: Sent): ReceiverRequest => ({
  method,
  headers,
  body: new Blob([body]).stream(),
  source: 'fetch',
});

/** One request per rule the receiver answers after reading the body, each breaking one thing. */
const corpus: [string, () => Sent][] = [
  ['a valid event', () => validRequest()],
  ['a request signed with another secret', () => validRequest({ secret: OTHER_SECRET })],
  ['a timestamp 301 s old', () => validRequest({ timestamp: nowSeconds() - 301 })],
  [
    'a request without webhook-signature',
    () => {
      const { body, headers } = validRequest();
      const { 'webhook-signature': _, ...rest } = headers;
      return { body, headers: rest };
    },
  ],
  ['invalid JSON with a valid signature', () => validRequest({ body: '{"type":' })],
  ['a GET', () => ({ ...validRequest(), method: 'GET' })],
];

describe('createReceiverWith(verifySignature, options)', () => {
  it.each(corpus)('answers %s with an async back end exactly as createReceiver() does', async (_, make) => {
    const sent = make();
    const onNode = await createReceiver({ secret: SECRET }).handle(post(sent));
    const onWebCrypto = await createReceiverWith(verifyAsync, { secret: SECRET }).handle(post(sent));
    expect(JSON.parse(onWebCrypto.body)).toEqual(JSON.parse(onNode.body));
    expect({ status: onWebCrypto.status, headers: onWebCrypto.headers }).toEqual({
      status: onNode.status,
      headers: onNode.headers,
    });
  });

  it('keeps the replay rules with an async back end: a second copy gets 200 duplicate', async () => {
    const seen: string[] = [];
    const receiver = createReceiverWith(verifyAsync, { secret: SECRET }).onAny((event) => {
      seen.push(event.id);
    });
    const request = validRequest();
    expect((await receiver.handle(post(request))).status).toBe(200);
    const again = await receiver.handle(post(request));
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
    expect(seen).toEqual([request.headers['webhook-id']]);
  });

  it('hands the back end the request as verify() takes it: secrets, raw bytes, headers, window, clock', async () => {
    const calls: Parameters<typeof verify>[0][] = [];
    const receiver = createReceiverWith(
      (options) => {
        calls.push(options);
        return verify(options);
      },
      { secret: [OTHER_SECRET, SECRET], toleranceSeconds: 60 },
    );
    const request = validRequest();
    expect((await receiver.handle(post(request))).status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      secret: [OTHER_SECRET, SECRET],
      headers: request.headers,
      toleranceSeconds: 60,
      now: expect.any(Date),
    });
    expect(new TextDecoder().decode(calls[0]?.payload as Uint8Array)).toBe(request.body);
  });
});

/** The runtime imports (not `import type`) of a source file, resolved to files or `node:` names. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) {
    const specifier = match[1] as string;
    found.push(
      specifier.startsWith('.') ? resolve(dirname(file), specifier.replace(/\.js$/, '.ts')) : specifier,
    );
  }
  return found;
}

const withoutComments = (file: string): string =>
  readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

describe("the receiver's rules", () => {
  it('reach node:* and Buffer only through verify(), the one import a second crypto back end replaces', () => {
    const source = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
    const verifyFile = resolve(source, 'signature/verify.ts');
    const seen = new Set<string>();
    const nodeModules = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file) || file === verifyFile) return;
      seen.add(file);
      for (const imported of runtimeImports(file)) {
        if (imported.startsWith('node:')) nodeModules.add(`${imported} (${file.slice(source.length)})`);
        else if (imported.startsWith('/')) walk(imported);
      }
    };
    walk(resolve(source, 'receiver/create-receiver.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...nodeModules]).toEqual([]);
    // Node's globals too: a Web runtime has neither.
    const nodeGlobals = [...seen].filter((file) => /\b(Buffer|process)\./.test(withoutComments(file)));
    expect(nodeGlobals.map((file) => file.slice(source.length))).toEqual([]);
    expect(runtimeImports(resolve(source, 'receiver/create-receiver.ts'))).toContain(verifyFile);
  });
});
