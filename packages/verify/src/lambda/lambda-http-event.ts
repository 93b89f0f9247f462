/**
 * The parts of an AWS Lambda HTTP event the receiver reads: API Gateway REST APIs (payload 1.0),
 * HTTP APIs (payload 2.0) and function URLs (payload 2.0).
 */
export interface LambdaHttpEvent {
  /** Payload 1.0 (REST API). */
  httpMethod?: string;
  /** Payload 2.0 (HTTP API, function URL). */
  requestContext?: { http?: { method?: string } } & Record<string, unknown>;
  /** Any case in 1.0, lower-case in 2.0 (where repeated headers are comma-joined). */
  headers?: Record<string, string | undefined> | null;
  /** Payload 1.0: every value of every header. */
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** What a Lambda HTTP integration expects back (payload 1.0 and 2.0 alike). */
export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}
