import type { ReceiverResponse } from '@caleida/verify';
import type { FastifyReply } from 'fastify';

/** Copies the receiver's answer onto the reply; the body is already JSON text, sent as is. */
export function writeResponse(
  reply: FastifyReply,
  { status, headers, body }: ReceiverResponse,
): FastifyReply {
  return reply.code(status).headers(headers).send(body);
}
