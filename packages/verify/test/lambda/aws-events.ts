import type { LambdaHttpEvent } from '../../src/index.js';

/**
 * Lambda events shaped as in AWS's documentation ("Input format of a Lambda function for proxy
 * integration", "payload format version 2.0" for HTTP APIs, "Lambda function URL request
 * payload"), with the request's method, headers and body put in.
 */
interface HttpRequestParts {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  isBase64Encoded?: boolean;
}

/** API Gateway REST API, payload 1.0: headers in the sender's case, with multiValueHeaders. */
export function restApiEvent({
  method,
  headers,
  body,
  isBase64Encoded = false,
}: HttpRequestParts): LambdaHttpEvent {
  const sentHeaders = Object.fromEntries(
    Object.entries({
      ...headers,
      Host: 'abcdef123.execute-api.us-east-1.amazonaws.com',
      'User-Agent': 'Caleida-Webhooks/1.0',
    }).map(([name, value]) => [titleCase(name), value]),
  );
  return {
    resource: '/webhooks/caleida',
    path: '/webhooks/caleida',
    httpMethod: method,
    headers: sentHeaders,
    multiValueHeaders: Object.fromEntries(
      Object.entries(sentHeaders).map(([name, value]) => [name, [value]]),
    ),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef123',
      httpMethod: method,
      path: '/prod/webhooks/caleida',
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1428582896000,
      resourcePath: '/webhooks/caleida',
      stage: 'prod',
      identity: { sourceIp: '192.0.2.1', userAgent: 'Caleida-Webhooks/1.0' },
    },
    body,
    isBase64Encoded,
  } as LambdaHttpEvent;
}

/** API Gateway HTTP API, payload 2.0: lower-case headers, the method under requestContext.http. */
export function httpApiEvent({
  method,
  headers,
  body,
  isBase64Encoded = false,
}: HttpRequestParts): LambdaHttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/caleida',
    rawPath: '/webhooks/caleida',
    rawQueryString: '',
    headers: lowerCase({ ...headers, host: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com' }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
      domainPrefix: 'r3pmxmplak',
      http: {
        method,
        path: '/webhooks/caleida',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'Caleida-Webhooks/1.0',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: 'POST /webhooks/caleida',
      stage: '$default',
      time: '10/Mar/2020:05:16:23 +0000',
      timeEpoch: 1583817383220,
    },
    body,
    isBase64Encoded,
  } as LambdaHttpEvent;
}

/** Lambda function URL: payload 2.0 with the function URL's domain and no route key. */
export function functionUrlEvent({
  method,
  headers,
  body,
  isBase64Encoded = false,
}: HttpRequestParts): LambdaHttpEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/webhooks/caleida',
    rawQueryString: '',
    headers: lowerCase({ ...headers, host: 'a1b2c3d4e5f6.lambda-url.us-east-2.on.aws' }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'a1b2c3d4e5f6',
      domainName: 'a1b2c3d4e5f6.lambda-url.us-east-2.on.aws',
      domainPrefix: 'a1b2c3d4e5f6',
      http: {
        method,
        path: '/webhooks/caleida',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'Caleida-Webhooks/1.0',
      },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body,
    isBase64Encoded,
  } as LambdaHttpEvent;
}

function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
