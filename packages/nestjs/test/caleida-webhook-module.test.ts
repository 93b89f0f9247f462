import 'reflect-metadata';
import type { ReceivedEvent, ReceivedEventOf } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { type CanActivate, type ExecutionContext, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CaleidaWebhookModule, OnAnyCaleidaEvent, OnCaleidaEvent } from '../src/index.js';
import { PLATFORMS, type RunningApp, startNestApp } from './start-nest-app.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';
const SEEN = Symbol('SEEN');

@Injectable()
class ChatEvents {
  @Inject(SEEN) private readonly seen!: string[];

  @OnCaleidaEvent('message')
  onMessage(event: ReceivedEventOf<'message'>): void {
    this.seen.push(`message:${event.data.content}`);
  }

  @OnCaleidaEvent(['insight.summary', 'insight.sentiment'])
  onInsight(event: ReceivedEventOf<'insight.summary' | 'insight.sentiment'>): void {
    this.seen.push(`insight:${event.type}`);
  }

  @OnAnyCaleidaEvent()
  onAny(event: ReceivedEvent): void {
    this.seen.push(`any:${event.type}`);
  }
}

/** An app-wide guard that refuses requests carrying `x-deny`, and notes that it ran. */
@Injectable()
class DenyGuard implements CanActivate {
  @Inject(SEEN) private readonly seen!: string[];

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    this.seen.push('guard');
    return request.headers['x-deny'] === undefined;
  }
}

function appModule(seen: string[], path?: string, guard = false) {
  @Module({
    imports: [
      CaleidaWebhookModule.forRoot({ secret: SECRET, ...(path ? { path } : {}), logger: { error() {} } }),
    ],
    providers: [
      ChatEvents,
      { provide: SEEN, useValue: seen },
      ...(guard ? [{ provide: APP_GUARD, useClass: DenyGuard }] : []),
    ],
  })
  class AppModule {}
  return AppModule;
}

async function post(url: string, request: { body: string; headers: Record<string, string> }) {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe.each(PLATFORMS.flatMap((platform) => [false, true].map((rawBody) => ({ platform, rawBody }))))(
  'CaleidaWebhookModule on $platform (rawBody: $rawBody)',
  ({ platform, rawBody }) => {
    let running: RunningApp | undefined;
    afterEach(async () => {
      await running?.close();
      running = undefined;
    });

    it('runs the @OnCaleidaEvent() methods of a signed event, then the @OnAnyCaleidaEvent() ones, and answers 200', async () => {
      const seen: string[] = [];
      running = await startNestApp(appModule(seen), platform, { rawBody });
      const event = buildEvent('message', { data: { content: 'hello' } });
      const request = signedRequest({ secret: SECRET, event });
      const response = await post(`${running.url}/webhooks/caleida`, request);
      expect(response).toEqual({ status: 200, json: { received: true, id: request.id, type: 'message' } });
      expect(seen).toEqual(['message:hello', 'any:message']);
      await post(
        `${running.url}/webhooks/caleida`,
        signedRequest({ secret: SECRET, event: buildEvent('insight.summary') }),
      );
      expect(seen.slice(2)).toEqual(['insight:insight.summary', 'any:insight.summary']);
    });

    it('answers a forged signature 401 no_matching_signature without running a method', async () => {
      const seen: string[] = [];
      running = await startNestApp(appModule(seen, '/hooks/caleida'), platform, { rawBody });
      const request = signedRequest({ secret: WRONG_SECRET, event: buildEvent('message') });
      const response = await post(`${running.url}/hooks/caleida`, request);
      expect({ status: response.status, code: response.json.code }).toEqual({
        status: 401,
        code: 'no_matching_signature',
      });
      expect(seen).toEqual([]);
    });

    it("runs the methods only once the app's guards let the request through; a refusal forgets the id for the retry", async () => {
      const seen: string[] = [];
      running = await startNestApp(appModule(seen, undefined, true), platform, { rawBody });
      const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
      const url = `${running.url}/webhooks/caleida`;
      const denied = await post(url, { ...request, headers: { ...request.headers, 'x-deny': '1' } });
      expect(denied.status).toBe(403);
      expect(seen).toEqual(['guard']);
      const retry = await post(url, request);
      expect(retry).toEqual({ status: 200, json: { received: true, id: request.id, type: 'chat' } });
      expect(seen).toEqual(['guard', 'guard', 'any:chat']);
    });
  },
);

describe('CaleidaWebhookModule under app.setGlobalPrefix()', () => {
  it('verifies on Fastify, and on Express with rawBody: true', async () => {
    for (const [platform, rawBody] of [
      ['fastify', false],
      ['express', true],
    ] as const) {
      const running = await startNestApp(appModule([]), platform, { rawBody, globalPrefix: 'api' });
      const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
      const response = await post(`${running.url}/api/webhooks/caleida`, request).finally(() =>
        running.close(),
      );
      expect({ platform, status: response.status }).toEqual({ platform, status: 200 });
    }
  });

  it('answers 500 body_already_parsed on Express without rawBody: true, the hook matching the path without the prefix', async () => {
    const running = await startNestApp(appModule([]), 'express', { globalPrefix: 'api' });
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    const response = await post(`${running.url}/api/webhooks/caleida`, request).finally(() =>
      running.close(),
    );
    expect({ status: response.status, code: response.json.code }).toEqual({
      status: 500,
      code: 'body_already_parsed',
    });
  });
});

describe('CaleidaWebhookModule in one module class used by several apps, as e2e tests do', () => {
  it('runs each decorated method once per event in every app, each app with its own replay store', async () => {
    const seen: string[] = [];
    const AppModule = appModule(seen);
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    for (const platform of [...PLATFORMS, ...PLATFORMS]) {
      const running = await startNestApp(AppModule, platform);
      const response = await post(`${running.url}/webhooks/caleida`, request).finally(() => running.close());
      expect({ platform, status: response.status, duplicate: response.json.duplicate }).toEqual({
        platform,
        status: 200,
        duplicate: undefined,
      });
    }
    expect(seen).toEqual(['any:chat', 'any:chat', 'any:chat', 'any:chat']);
  });
});

describe('CaleidaWebhookModule with a request-scoped provider', () => {
  @Injectable({ scope: Scope.REQUEST })
  class PerRequestEvents {
    @OnCaleidaEvent('chat')
    onChat(): void {}
  }

  it('warns at start-up that its @OnCaleidaEvent() methods never run, naming the provider', async () => {
    @Module({ imports: [CaleidaWebhookModule.forRoot({ secret: SECRET })], providers: [PerRequestEvents] })
    class AppModule {}
    const warnings: string[] = [];
    const logger = { log() {}, error() {}, warn: (message: string) => void warnings.push(message) };
    const running = await startNestApp(AppModule, 'express', { logger });
    await running.close();
    expect(warnings).toEqual([
      'PerRequestEvents is request-scoped, so its @OnCaleidaEvent() methods never run; make it a singleton provider (the default scope).',
    ]);
  });
});

describe('CaleidaWebhookModule.forRoot()', () => {
  it('throws a TypeError naming the package for a bad secret, at declaration', () => {
    expect(() => CaleidaWebhookModule.forRoot({ secret: ' whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toThrow(
      /^@caleida\/nestjs: .*whitespace/,
    );
  });

  it('throws a TypeError for a path that is not an absolute URL path', () => {
    expect(() => CaleidaWebhookModule.forRoot({ secret: SECRET, path: 'webhooks' })).toThrow(
      '@caleida/nestjs: path must be a URL path starting with "/" and without a trailing slash, e.g. "/webhooks/caleida"; got "webhooks".',
    );
  });

  it('throws a TypeError pointing at @OnCaleidaEvent() when given a receiver', () => {
    expect(() => CaleidaWebhookModule.forRoot({ receiver: {} } as never)).toThrow(/@OnCaleidaEvent\(\)/);
  });
});
