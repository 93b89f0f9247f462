import type { ServerResponse } from 'node:http';
import type { ReceiverResponse } from '@caleida/verify';

/** Sends the core's answer as is on a Node response. */
export function writeNodeResponse(res: ServerResponse, { status, headers, body }: ReceiverResponse): void {
  res.writeHead(status, headers).end(body);
}

interface FastifyReplyLike {
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  headers(headers: Record<string, string>): FastifyReplyLike;
  send(body: string): unknown;
}

/** Sends the core's answer on the platform's response: an Express response or a Fastify reply. */
export function writeResponse(res: ServerResponse | FastifyReplyLike, answer: ReceiverResponse): void {
  if ('raw' in res && typeof res.code === 'function') {
    res.code(answer.status).headers(answer.headers).send(answer.body);
    return;
  }
  writeNodeResponse(res as ServerResponse, answer);
}
